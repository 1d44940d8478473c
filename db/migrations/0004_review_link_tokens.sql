CREATE TABLE `review_link_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`request_id` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `review_requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `review_link_tokens_request_idx` ON `review_link_tokens` (`request_id`);--> statement-breakpoint
CREATE INDEX `rate_limits_window_idx` ON `rate_limits` (`window_starts_at`);