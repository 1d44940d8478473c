ALTER TABLE `reviews` ADD `public_id` text;--> statement-breakpoint
ALTER TABLE `reviews` ADD `legacy_numeric_url` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `reviews_public_id_unique` ON `reviews` (`public_id`);--> statement-breakpoint
-- ===== Custom SQL (keep at the end; copy as is if this migration is regenerated) =====
-- Reviews on the public pages before public ids existed (approved, or hidden after approval) get
-- one now, and keep their old /testimonials/ROW_ID/ address as a redirect. Later reviews never
-- get such a redirect, so their row ids (and the count of reviews never published) stay private.
UPDATE `reviews` SET `public_id` = lower(hex(randomblob(8))), `legacy_numeric_url` = 1 WHERE `status` IN ('approved', 'hidden');--> statement-breakpoint
-- A review gets its public id the first time it is approved, however it is approved (moderation,
-- the demo loader, a hand-written UPDATE), and keeps it from then on: hidden, rejected or approved
-- again, its address stays the same.
CREATE TRIGGER `reviews_public_id_on_insert` AFTER INSERT ON `reviews`
FOR EACH ROW WHEN NEW.`public_id` IS NULL AND NEW.`status` = 'approved'
BEGIN
  UPDATE `reviews` SET `public_id` = lower(hex(randomblob(8))) WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `reviews_public_id_on_approve` AFTER UPDATE OF `status` ON `reviews`
FOR EACH ROW WHEN NEW.`public_id` IS NULL AND NEW.`status` = 'approved'
BEGIN
  UPDATE `reviews` SET `public_id` = lower(hex(randomblob(8))) WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
-- Once set, a public id never changes (an address that moved would break links and feeds).
CREATE TRIGGER `reviews_public_id_is_stable` BEFORE UPDATE OF `public_id` ON `reviews`
FOR EACH ROW WHEN OLD.`public_id` IS NOT NULL AND NEW.`public_id` IS NOT OLD.`public_id`
BEGIN
  SELECT RAISE(ABORT, 'reviews.public_id never changes once set');
END;
