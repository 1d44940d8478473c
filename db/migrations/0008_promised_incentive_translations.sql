ALTER TABLE `review_requests` ADD `incentive_translations` text;
-- Custom SQL (written by hand, keep at the end when regenerating) ----------------------------
-- No backfill: what a request sent before this column promised in other languages is not known.
-- src/lib/ask/promised-incentive.ts then names the recorded English text, or today's translation
-- when that text is still today's promise, or (nothing recorded at all) today's incentive.
