ALTER TABLE `review_requests` ADD `previous_token_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `review_requests_previous_token_hash_unique` ON `review_requests` (`previous_token_hash`);