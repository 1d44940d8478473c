import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Times are Unix milliseconds. SQL defaults fill them so rows written by any tool agree.
const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;
const createdAt = () => integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now);
const updatedAt = () => integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now);

/** A customer we may ask for a review. Email is stored lower-cased. */
export const contacts = sqliteTable('contacts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull().unique(),
  name: text('name'),
  locale: text('locale').notNull().default('en'),
  /** Free text the business groups customers by (region, plan, team); the latest one given. Answers keep their own copy. */
  segment: text('segment'),
  unsubscribedAt: integer('unsubscribed_at', { mode: 'timestamp_ms' }),
  isDemo: integer('is_demo', { mode: 'boolean' }).notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** One answer to "How likely are you to recommend us?" (0–10). */
export const npsResponses = sqliteTable(
  'nps_responses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    score: integer('score').notNull(),
    comment: text('comment'),
    respondedAt: integer('responded_at', { mode: 'timestamp_ms' }).notNull(),
    /** Where the answer came from: csv, webhook, email or demo. */
    source: text('source').notNull(),
    /** The survey email it answers (source email); one answer per survey. */
    surveyId: integer('survey_id').references(() => surveys.id, { onDelete: 'set null' }),
    /** The customer's segment when they answered: figures follow the answer, not the contact's later segment. */
    segment: text('segment'),
    /**
     * The clock time a spreadsheet gave without a time zone ("2026-03-05T14:00:00.000"), read in
     * the import's --timezone to make responded_at; null when the time carried its zone (webhook,
     * ISO with an offset). The same file imported again with another --timezone is the same answers.
     */
    wallClock: text('wall_clock'),
    /** When a marketer followed up personally on a detractor or passive answer (see moderate/follow-up.ts); null while waiting. */
    followedUpAt: integer('followed_up_at', { mode: 'timestamp_ms' }),
    /**
     * The admin who did (admin_users.id). No foreign key: SQLite cannot add one with ON DELETE to an
     * existing table, and a removed admin must not block anything; the page shows them as removed.
     */
    followedUpBy: integer('followed_up_by'),
    /** The marketer's short note on the follow-up; deleted with the answer when the customer is erased. */
    followUpNote: text('follow_up_note'),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('nps_responses_survey_unique').on(table.surveyId),
    // The follow-up list: answers still waiting, newest first.
    index('nps_responses_follow_up_idx').on(table.followedUpAt, table.respondedAt),
    index('nps_responses_segment_idx').on(table.segment),
    // Re-importing the same answer (same customer, same moment) is a no-op.
    uniqueIndex('nps_responses_contact_responded_unique').on(table.contactId, table.respondedAt),
    // …and so is re-importing it with another time zone (same customer, same clock time as written).
    uniqueIndex('nps_responses_contact_wall_clock_unique').on(table.contactId, table.wallClock).where(sql`${table.wallClock} is not null`),
    index('nps_responses_responded_idx').on(table.respondedAt),
    check('nps_responses_score_range', sql`${table.score} between 0 and 10`),
  ],
);

/** A personal review link sent to one contact. Only the SHA-256 of its token is stored. */
export const reviewRequests = sqliteTable(
  'review_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    responseId: integer('response_id').references(() => npsResponses.id, { onDelete: 'set null' }),
    tokenHash: text('token_hash').notNull().unique(),
    locale: text('locale').notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
    openedAt: integer('opened_at', { mode: 'timestamp_ms' }),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
    /**
     * Whom the invitation run that sent this link asked: promoters or all (see invite-audience.ts).
     * The public pages state how reviews were collected from this, never from the config. The
     * default only serves rows from before it was recorded (see migration 0005): "promoters" makes
     * the wall say "selected", which never claims more than we know.
     */
    audience: text('audience').notNull().default('promoters'),
    /** The incentive the invitation promised, as the public pages name it; null when sent before this was recorded. */
    incentive: text('incentive'),
    /**
     * The same promise in every language the site spoke when the invitation went out (JSON: locale
     * → text), so the form and the thank-you email name what this customer was promised, in their
     * language, even after the config changes; null when sent before this was recorded.
     */
    incentiveTranslations: text('incentive_translations', { mode: 'json' }).$type<Record<string, string>>(),
    createdAt: createdAt(),
  },
  // One request per contact: re-running the invitation never asks twice.
  (table) => [uniqueIndex('review_requests_contact_unique').on(table.contactId)],
);

/**
 * Earlier tokens of a review request that keep working beside `review_requests.token_hash`: an
 * invitation run that took over an interrupted one issued a new token, but the interrupted run's
 * email may have gone out (see invitations.ts). Only hashes, like the request's own.
 */
export const reviewLinkTokens = sqliteTable(
  'review_link_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    requestId: integer('request_id')
      .notNull()
      .references(() => reviewRequests.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (table) => [index('review_link_tokens_request_idx').on(table.requestId)],
);

/** A review as the customer wrote it, plus its moderation state. */
export const reviews = sqliteTable(
  'reviews',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /**
     * The review's id in every public address, feed and markup: 16 random hex characters, so it
     * tells nobody how many reviews exist (the row id would). The database sets it when the review
     * is first approved and it never changes (triggers in migration 0006); null until then.
     */
    publicId: text('public_id').unique(),
    /**
     * Published at /testimonials/ROW_ID/ before public ids existed (set by migration 0006): that
     * old address redirects to the new one. Never set for later reviews, whose row ids stay private.
     */
    legacyNumericUrl: integer('legacy_numeric_url', { mode: 'boolean' }).notNull().default(false),
    requestId: integer('request_id')
      .notNull()
      .unique()
      .references(() => reviewRequests.id, { onDelete: 'cascade' }),
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    rating: integer('rating').notNull(),
    body: text('body').notNull(),
    /** How the name is published: full, first_initial or anonymous. */
    nameDisplay: text('name_display').notNull(),
    role: text('role'),
    company: text('company'),
    /** Path of the re-encoded avatar, relative to the upload folder. */
    photoPath: text('photo_path'),
    locale: text('locale').notNull(),
    consentAt: integer('consent_at', { mode: 'timestamp_ms' }).notNull(),
    /** pending, approved, rejected or hidden. */
    status: text('status').notNull().default('pending'),
    /** A content-policy reason; never "negative". */
    rejectionReason: text('rejection_reason'),
    featured: integer('featured', { mode: 'boolean' }).notNull().default(false),
    /** Set when a moderator removed personal data from the text. */
    redactedAt: integer('redacted_at', { mode: 'timestamp_ms' }),
    moderatedAt: integer('moderated_at', { mode: 'timestamp_ms' }),
    moderatedBy: integer('moderated_by').references(() => adminUsers.id, { onDelete: 'set null' }),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }).notNull().default(now),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index('reviews_status_idx').on(table.status, table.submittedAt),
    check('reviews_rating_range', sql`${table.rating} between 1 and 5`),
  ],
);

/** The incentive ledger: one row per submitted review, whatever its rating or outcome. */
export const incentives = sqliteTable(
  'incentives',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reviewId: integer('review_id')
      .notNull()
      .unique()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    /** pending, sending, sent or failed. */
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    providerMessageId: text('provider_message_id'),
    /** The provider request this row is sent in; kept so a rerun repeats the same request. */
    batchKey: text('batch_key'),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index('incentives_state_idx').on(table.state), index('incentives_batch_idx').on(table.batchKey)],
);

/** A pool of reward codes; each is handed to at most one incentive, never reused. */
export const giftCodes = sqliteTable('gift_codes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  code: text('code').notNull().unique(),
  incentiveId: integer('incentive_id')
    .unique()
    .references(() => incentives.id, { onDelete: 'set null' }),
  assignedAt: integer('assigned_at', { mode: 'timestamp_ms' }),
  createdAt: createdAt(),
});

/** A marketer who may sign in to /admin. */
export const adminUsers = sqliteTable('admin_users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  isDemo: integer('is_demo', { mode: 'boolean' }).notNull().default(false),
  createdAt: createdAt(),
});

/** A signed-in session; the id is the SHA-256 of the cookie token, never the token itself. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => adminUsers.id, { onDelete: 'cascade' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: createdAt(),
  },
  (table) => [index('sessions_user_idx').on(table.userId)],
);

/** Who did what, and when. Holds no customer personal data. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    actorId: integer('actor_id').references(() => adminUsers.id, { onDelete: 'set null' }),
    /** The actor as shown in the log: an admin email, or "system" for scripts. */
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: integer('subject_id'),
    /** JSON with action details (e.g. a rejection reason). */
    detail: text('detail'),
    createdAt: createdAt(),
  },
  (table) => [index('audit_log_subject_idx').on(table.subjectType, table.subjectId)],
);

/** Every message we send, keyed by a stable idempotency key so none goes out twice. */
export const emailLog = sqliteTable(
  'email_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    /** invite, incentive, reply, … */
    kind: text('kind').notNull(),
    contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'cascade' }),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    /** queued, sent or failed. */
    status: text('status').notNull().default('queued'),
    /** resend or outbox. */
    transport: text('transport'),
    providerMessageId: text('provider_message_id'),
    /** File name of the .eml when the outbox was used. */
    outboxFile: text('outbox_file'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (table) => [index('email_log_contact_idx').on(table.contactId)],
);

/**
 * Customers erased on request, kept only as a hash of their address (see erasure.ts): an import,
 * the webhook or the demo loader skips them, so re-importing an old CSV never brings back, or
 * emails, someone who asked to be forgotten. `npm run erase -- --allow-again EMAIL` lifts it.
 */
export const erasedEmails = sqliteTable('erased_emails', {
  emailHash: text('email_hash').primaryKey(),
  erasedAt: integer('erased_at', { mode: 'timestamp_ms' }).notNull().default(now),
});

/**
 * A command that must not run twice at once (npm run incentives), held by `host:pid` and kept
 * alive by a heartbeat; a holder that stopped beating, or whose process is gone, loses it.
 */
export const commandLocks = sqliteTable('command_locks', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  acquiredAt: integer('acquired_at', { mode: 'timestamp_ms' }).notNull(),
  heartbeatAt: integer('heartbeat_at', { mode: 'timestamp_ms' }).notNull(),
});

/** Fixed-window counters shared by every server process (sign-in, submissions, webhook). */
export const rateLimits = sqliteTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    windowStartsAt: integer('window_starts_at', { mode: 'timestamp_ms' }).notNull(),
  },
  // For deleting counters of long-ended windows without scanning the table.
  (table) => [index('rate_limits_window_idx').on(table.windowStartsAt)],
);

/** One rebuild of the public pages. */
export const publishRuns = sqliteTable('publish_runs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  startedBy: text('started_by').notNull(),
  /** running, succeeded or failed; queued (a publish asked for while another ran) or superseded (a later run covered it). */
  status: text('status').notNull().default('running'),
  reviewCount: integer('review_count'),
  error: text('error'),
  buildDir: text('build_dir'),
  startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull().default(now),
  finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
});

// ---------------------------------------------------------------------------------------------
// Surveys and scheduled work: our own NPS survey email, its answers, and everything time-based
// (delayed surveys, reminders, autopilot rounds, delayed review invitations) as due rows.

/**
 * One survey email to one contact. The answer to an NPS survey is an `nps_responses` row pointing
 * back here (`survey_id`), so every NPS figure counts it like any other answer; the answer to a
 * CSAT or CES survey is a `survey_ratings` row.
 */
export const surveys = sqliteTable(
  'surveys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    /** The question asked: nps (0–10), csat (1–5) or ces (1–7); see lib/listen/survey-kinds.ts. */
    kind: text('kind').notNull().default('nps'),
    /** Why it was sent: manual (npm run survey, the admin), ticket (a resolved ticket) or autopilot. */
    trigger: text('trigger').notNull(),
    /** What created it, e.g. `cli:RUN`, `campaign:JOB`, `ticket:ID`, `autopilot:DATE`: one survey per origin and contact. */
    origin: text('origin').notNull(),
    /** The helpdesk ticket behind a ticket survey. */
    ticketId: text('ticket_id'),
    /** The segment the trigger gave (a resolved ticket's), carried onto the answer; null to use the contact's. */
    segment: text('segment'),
    /** The survey round it belongs to (see listen/surveys.ts): NPS is compared round by round. */
    round: integer('round').notNull(),
    locale: text('locale').notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
    /** The first answer; the score may change while the link is valid. */
    answeredAt: integer('answered_at', { mode: 'timestamp_ms' }),
    /** The invite audience (promoters or all) under which the answer asked for a review; null when it did not. */
    reviewAudience: text('review_audience'),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('surveys_origin_contact_unique').on(table.origin, table.contactId),
    // The quiet period and autopilot look up each contact's latest survey.
    index('surveys_contact_created_idx').on(table.contactId, table.createdAt),
    index('surveys_round_idx').on(table.round),
    // The quiet period is per kind: a contact's latest survey of one kind.
    index('surveys_contact_kind_created_idx').on(table.contactId, table.kind, table.createdAt),
  ],
);

/**
 * The answer to a CSAT (1–5) or CES (1–7) survey. Kept apart from `nps_responses` so no NPS
 * figure, review invitation or NPS export ever counts it.
 */
export const surveyRatings = sqliteTable(
  'survey_ratings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    surveyId: integer('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    /** csat or ces, as the survey's kind. */
    kind: text('kind').notNull(),
    score: integer('score').notNull(),
    /** The optional reason for the score. */
    comment: text('comment'),
    respondedAt: integer('responded_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('survey_ratings_survey_unique').on(table.surveyId),
    index('survey_ratings_kind_responded_idx').on(table.kind, table.respondedAt),
    check('survey_ratings_score_range', sql`(${table.kind} = 'csat' and ${table.score} between 1 and 5) or (${table.kind} = 'ces' and ${table.score} between 1 and 7)`),
  ],
);

/**
 * The personal links of a survey, as SHA-256 hashes. Every email (the survey, a retry, the
 * reminder) carries a fresh token; all of them keep working until the survey expires.
 */
export const surveyTokens = sqliteTable(
  'survey_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    surveyId: integer('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (table) => [index('survey_tokens_survey_idx').on(table.surveyId)],
);

/**
 * Work due at a time: a survey after a resolved ticket, a reminder, an autopilot round, a delayed
 * review invitation. Any number of `npm run tick` processes claim due rows atomically (see
 * platform/scheduler.ts); the unique key makes scheduling the same work twice a no-op.
 */
export const scheduledJobs = sqliteTable(
  'scheduled_jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').notNull(),
    /** Unique per piece of work, e.g. `survey-reminder:42`: scheduling it again changes nothing. */
    key: text('key').notNull().unique(),
    /** JSON with ids (and a resolved ticket's segment), never personal data. */
    payload: text('payload').notNull().default('{}'),
    /** The customer it concerns, so erasing them removes their jobs too. */
    contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'cascade' }),
    dueAt: integer('due_at', { mode: 'timestamp_ms' }).notNull(),
    /** The tick process working on it (`host:pid-namespace:pid`) until `claim_expires_at`. */
    claimedBy: text('claimed_by'),
    claimExpiresAt: integer('claim_expires_at', { mode: 'timestamp_ms' }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** The provider request its email goes out in; kept so a retry repeats exactly that request. */
    batchKey: text('batch_key'),
    /** What the finished job did: sent, or why it sent nothing. */
    outcome: text('outcome'),
    doneAt: integer('done_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (table) => [
    // Only unfinished rows: a tick with nothing due reads a few index pages, however long the history.
    index('scheduled_jobs_due_idx').on(table.dueAt).where(sql`done_at is null`),
    index('scheduled_jobs_contact_idx').on(table.contactId),
    index('scheduled_jobs_done_idx').on(table.doneAt),
  ],
);

// ---------------------------------------------------------------------------------------------
// Notifications (issue 14 point 1): outgoing events and their deliveries, an outbox the tick
// empties. Events are written by triggers on the facts themselves (see the end of their
// migration), so an answer, a review, an approval, a publish or a sent incentive never exists
// without its event.

/** Something that happened, to tell Slack and the configured webhook endpoints. */
export const outboxEvents = sqliteTable(
  'outbox_events',
  {
    /** `msg_` + 32 hex characters: the `webhook-id` every endpoint receives it under. */
    id: text('id').primaryKey(),
    /** nps.answered, review.submitted, review.approved, site.published, incentive.sent, or notifications.digest. */
    type: text('type').notNull(),
    /** The event's `data` as JSON. */
    payload: text('payload').notNull(),
    /** The customer it concerns, so erasing them removes it. */
    contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'cascade' }),
    occurredAt: integer('occurred_at', { mode: 'timestamp_ms' }).notNull().default(now),
    /** When the tick created its deliveries (for the endpoints configured then); null until then. */
    fannedOutAt: integer('fanned_out_at', { mode: 'timestamp_ms' }),
  },
  (table) => [
    index('outbox_events_waiting_idx').on(table.occurredAt).where(sql`fanned_out_at is null`),
    index('outbox_events_type_idx').on(table.type, table.occurredAt),
    index('outbox_events_contact_idx').on(table.contactId),
  ],
);

/** One event to one endpoint (`slack`, or a webhook URL): unique, so it is delivered at most once. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: text('event_id')
      .notNull()
      .references(() => outboxEvents.id, { onDelete: 'cascade' }),
    /** `slack` (its URL is a secret, read when sending) or the endpoint's URL. */
    endpoint: text('endpoint').notNull(),
    /** The exact body sent, the same on every attempt. */
    body: text('body').notNull(),
    /** pending, delivered or failed (after the last attempt). */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    claimedBy: text('claimed_by'),
    claimExpiresAt: integer('claim_expires_at', { mode: 'timestamp_ms' }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    lastAttemptAt: integer('last_attempt_at', { mode: 'timestamp_ms' }),
    deliveredAt: integer('delivered_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('webhook_deliveries_event_endpoint_unique').on(table.eventId, table.endpoint),
    index('webhook_deliveries_due_idx').on(table.nextAttemptAt).where(sql`status = 'pending'`),
    index('webhook_deliveries_created_idx').on(table.createdAt),
  ],
);
