CREATE TABLE `survey_ratings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`survey_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`kind` text NOT NULL,
	`score` integer NOT NULL,
	`comment` text,
	`responded_at` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "survey_ratings_score_range" CHECK(("survey_ratings"."kind" = 'csat' and "survey_ratings"."score" between 1 and 5) or ("survey_ratings"."kind" = 'ces' and "survey_ratings"."score" between 1 and 7))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_ratings_survey_unique` ON `survey_ratings` (`survey_id`);--> statement-breakpoint
CREATE INDEX `survey_ratings_kind_responded_idx` ON `survey_ratings` (`kind`,`responded_at`);--> statement-breakpoint
CREATE INDEX `surveys_contact_kind_created_idx` ON `surveys` (`contact_id`,`kind`,`created_at`);--> statement-breakpoint
-- Custom SQL (written by hand, keep at the end when regenerating) ----------------------------
-- Every survey sent before CSAT and CES existed asked the NPS question: say so explicitly.
UPDATE `surveys` SET `kind` = 'nps' WHERE `kind` IS NULL OR `kind` NOT IN ('nps', 'csat', 'ces');
