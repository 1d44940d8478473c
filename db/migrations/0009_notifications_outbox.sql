CREATE TABLE `outbox_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`contact_id` integer,
	`occurred_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`fanned_out_at` integer,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `outbox_events_waiting_idx` ON `outbox_events` (`occurred_at`) WHERE fanned_out_at is null;--> statement-breakpoint
CREATE INDEX `outbox_events_type_idx` ON `outbox_events` (`type`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `outbox_events_contact_idx` ON `outbox_events` (`contact_id`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` text NOT NULL,
	`endpoint` text NOT NULL,
	`body` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`claimed_by` text,
	`claim_expires_at` integer,
	`last_status_code` integer,
	`last_error` text,
	`last_attempt_at` integer,
	`delivered_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `outbox_events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_event_endpoint_unique` ON `webhook_deliveries` (`event_id`,`endpoint`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`next_attempt_at`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `webhook_deliveries_created_idx` ON `webhook_deliveries` (`created_at`);--> statement-breakpoint
-- Custom SQL (written by hand, keep at the end when regenerating) ----------------------------
-- Outgoing events are written by triggers on the facts they report, inside the statement that
-- writes the fact: whichever code path (survey link, CSV import, webhook, admin upload, review
-- form, moderation, publish, incentive run) stores it, the event is stored with it or not at all.
-- Demo data (npm run demo, a fresh install) tells nobody. Ids are `msg_` + 32 random hex digits.
CREATE TRIGGER `outbox_nps_answered` AFTER INSERT ON `nps_responses`
FOR EACH ROW WHEN NEW.`source` <> 'demo'
BEGIN
  INSERT INTO `outbox_events` (`id`, `type`, `payload`, `contact_id`)
  SELECT 'msg_' || lower(hex(randomblob(16))), 'nps.answered',
    json_object(
      'responseId', NEW.`id`, 'score', NEW.`score`,
      'category', CASE WHEN NEW.`score` >= 9 THEN 'promoter' WHEN NEW.`score` >= 7 THEN 'passive' ELSE 'detractor' END,
      'comment', NEW.`comment`, 'source', NEW.`source`, 'surveyId', NEW.`survey_id`,
      'respondedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.`responded_at` / 1000.0, 'unixepoch'),
      'contact', json_object('id', c.`id`, 'email', c.`email`, 'name', c.`name`, 'locale', c.`locale`)),
    NEW.`contact_id`
  FROM `contacts` c WHERE c.`id` = NEW.`contact_id` AND c.`is_demo` = 0;
END;--> statement-breakpoint
CREATE TRIGGER `outbox_review_submitted` AFTER INSERT ON `reviews`
FOR EACH ROW WHEN NEW.`status` = 'pending'
BEGIN
  INSERT INTO `outbox_events` (`id`, `type`, `payload`, `contact_id`)
  SELECT 'msg_' || lower(hex(randomblob(16))), 'review.submitted',
    json_object(
      'reviewId', NEW.`id`, 'rating', NEW.`rating`, 'locale', NEW.`locale`,
      'submittedAt', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.`submitted_at` / 1000.0, 'unixepoch'),
      'contact', json_object('id', c.`id`, 'email', c.`email`, 'name', c.`name`, 'locale', c.`locale`)),
    NEW.`contact_id`
  FROM `contacts` c WHERE c.`id` = NEW.`contact_id` AND c.`is_demo` = 0;
END;--> statement-breakpoint
-- An approval is reported once its public id exists: a first approval when migration 0007's
-- trigger sets the id (the order triggers fire in is not promised), a later one (after hiding)
-- when the status changes back.
CREATE TRIGGER `outbox_review_first_approved` AFTER UPDATE OF `public_id` ON `reviews`
FOR EACH ROW WHEN OLD.`public_id` IS NULL AND NEW.`public_id` IS NOT NULL AND NEW.`status` = 'approved'
BEGIN
  INSERT INTO `outbox_events` (`id`, `type`, `payload`, `contact_id`)
  SELECT 'msg_' || lower(hex(randomblob(16))), 'review.approved',
    json_object(
      'reviewId', NEW.`id`, 'publicId', NEW.`public_id`, 'rating', NEW.`rating`, 'locale', NEW.`locale`,
      'featured', json(CASE WHEN NEW.`featured` THEN 'true' ELSE 'false' END),
      'contact', json_object('id', c.`id`, 'email', c.`email`, 'name', c.`name`, 'locale', c.`locale`)),
    NEW.`contact_id`
  FROM `contacts` c WHERE c.`id` = NEW.`contact_id` AND c.`is_demo` = 0;
END;--> statement-breakpoint
CREATE TRIGGER `outbox_review_approved_again` AFTER UPDATE OF `status` ON `reviews`
FOR EACH ROW WHEN NEW.`status` = 'approved' AND OLD.`status` IS NOT 'approved' AND OLD.`public_id` IS NOT NULL
BEGIN
  INSERT INTO `outbox_events` (`id`, `type`, `payload`, `contact_id`)
  SELECT 'msg_' || lower(hex(randomblob(16))), 'review.approved',
    json_object(
      'reviewId', NEW.`id`, 'publicId', NEW.`public_id`, 'rating', NEW.`rating`, 'locale', NEW.`locale`,
      'featured', json(CASE WHEN NEW.`featured` THEN 'true' ELSE 'false' END),
      'contact', json_object('id', c.`id`, 'email', c.`email`, 'name', c.`name`, 'locale', c.`locale`)),
    NEW.`contact_id`
  FROM `contacts` c WHERE c.`id` = NEW.`contact_id` AND c.`is_demo` = 0;
END;--> statement-breakpoint
CREATE TRIGGER `outbox_site_published` AFTER UPDATE OF `status` ON `publish_runs`
FOR EACH ROW WHEN NEW.`status` = 'succeeded' AND OLD.`status` IS NOT 'succeeded'
BEGIN
  INSERT INTO `outbox_events` (`id`, `type`, `payload`)
  VALUES ('msg_' || lower(hex(randomblob(16))), 'site.published',
    json_object(
      'runId', NEW.`id`, 'reviewCount', NEW.`review_count`,
      'publishedAt', strftime('%Y-%m-%dT%H:%M:%fZ', coalesce(NEW.`finished_at`, cast(unixepoch('subsec') * 1000 as integer)) / 1000.0, 'unixepoch')));
END;--> statement-breakpoint
CREATE TRIGGER `outbox_incentive_sent` AFTER UPDATE OF `state` ON `incentives`
FOR EACH ROW WHEN NEW.`state` = 'sent' AND OLD.`state` IS NOT 'sent'
BEGIN
  INSERT INTO `outbox_events` (`id`, `type`, `payload`, `contact_id`)
  SELECT 'msg_' || lower(hex(randomblob(16))), 'incentive.sent',
    json_object(
      'incentiveId', NEW.`id`, 'reviewId', NEW.`review_id`,
      'sentAt', strftime('%Y-%m-%dT%H:%M:%fZ', coalesce(NEW.`sent_at`, cast(unixepoch('subsec') * 1000 as integer)) / 1000.0, 'unixepoch'),
      'contact', json_object('id', c.`id`, 'email', c.`email`, 'name', c.`name`, 'locale', c.`locale`)),
    NEW.`contact_id`
  FROM `contacts` c WHERE c.`id` = NEW.`contact_id` AND c.`is_demo` = 0;
END;
