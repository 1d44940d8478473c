ALTER TABLE `incentives` ADD `batch_key` text;--> statement-breakpoint
CREATE INDEX `incentives_batch_idx` ON `incentives` (`batch_key`);