ALTER TABLE `review_requests` ADD `audience` text DEFAULT 'promoters' NOT NULL;--> statement-breakpoint
ALTER TABLE `review_requests` ADD `incentive` text;--> statement-breakpoint
-- Requests sent before the audience was recorded. An invitation links the answer it was sent for,
-- and only 'all' invites an answer below 9: those requests were certainly sent under 'all'. For the
-- rest we cannot know, so they keep 'promoters': the wall then calls their reviews "selected", which
-- never falsely claims that every customer was asked. `incentive` stays null for all of them: the
-- pages then speak of "the thank-you gift their invitation promised" without naming it.
UPDATE `review_requests` SET `audience` = 'all' WHERE `response_id` IN (SELECT `id` FROM `nps_responses` WHERE `score` < 9);
