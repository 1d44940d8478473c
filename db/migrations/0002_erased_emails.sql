CREATE TABLE `erased_emails` (
	`email_hash` text PRIMARY KEY NOT NULL,
	`erased_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
