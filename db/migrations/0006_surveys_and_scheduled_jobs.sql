CREATE TABLE `scheduled_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`payload` text DEFAULT '{}' NOT NULL,
	`contact_id` integer,
	`due_at` integer NOT NULL,
	`claimed_by` text,
	`claim_expires_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`batch_key` text,
	`outcome` text,
	`done_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scheduled_jobs_key_unique` ON `scheduled_jobs` (`key`);--> statement-breakpoint
CREATE INDEX `scheduled_jobs_due_idx` ON `scheduled_jobs` (`due_at`) WHERE done_at is null;--> statement-breakpoint
CREATE INDEX `scheduled_jobs_contact_idx` ON `scheduled_jobs` (`contact_id`);--> statement-breakpoint
CREATE INDEX `scheduled_jobs_done_idx` ON `scheduled_jobs` (`done_at`);--> statement-breakpoint
CREATE TABLE `survey_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`survey_id` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `survey_tokens_survey_idx` ON `survey_tokens` (`survey_id`);--> statement-breakpoint
CREATE TABLE `surveys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contact_id` integer NOT NULL,
	`kind` text DEFAULT 'nps' NOT NULL,
	`trigger` text NOT NULL,
	`origin` text NOT NULL,
	`ticket_id` text,
	`round` integer NOT NULL,
	`locale` text NOT NULL,
	`expires_at` integer NOT NULL,
	`sent_at` integer,
	`answered_at` integer,
	`review_audience` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `surveys_origin_contact_unique` ON `surveys` (`origin`,`contact_id`);--> statement-breakpoint
CREATE INDEX `surveys_contact_created_idx` ON `surveys` (`contact_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `surveys_round_idx` ON `surveys` (`round`);--> statement-breakpoint
ALTER TABLE `nps_responses` ADD `survey_id` integer REFERENCES surveys(id);--> statement-breakpoint
CREATE UNIQUE INDEX `nps_responses_survey_unique` ON `nps_responses` (`survey_id`);