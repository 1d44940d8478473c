ALTER TABLE `contacts` ADD `segment` text;--> statement-breakpoint
ALTER TABLE `nps_responses` ADD `segment` text;--> statement-breakpoint
ALTER TABLE `nps_responses` ADD `followed_up_at` integer;--> statement-breakpoint
ALTER TABLE `nps_responses` ADD `followed_up_by` integer;--> statement-breakpoint
ALTER TABLE `nps_responses` ADD `follow_up_note` text;--> statement-breakpoint
CREATE INDEX `nps_responses_follow_up_idx` ON `nps_responses` (`followed_up_at`,`responded_at`);--> statement-breakpoint
CREATE INDEX `nps_responses_segment_idx` ON `nps_responses` (`segment`);--> statement-breakpoint
ALTER TABLE `surveys` ADD `segment` text;