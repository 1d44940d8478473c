/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** The signed-in marketer, filled by the auth middleware; null without a valid session. */
    user: import('./lib/server/auth/session.ts').SessionUser | null;
    /** The current session (its id is the SHA-256 of the cookie token); null when signed out. */
    session: import('./lib/server/auth/session.ts').Session | null;
    /** Set when a review form post is refused by a rate limit: the seconds to wait (Retry-After). */
    submissionRetryAfterSeconds?: number;
    /** Set when the post was refused before its body was read: there is nothing typed to show back. */
    submissionBodyUnread?: boolean;
    /** Set only by the site server when it stored a review form post itself and hands the page to Astro. */
    reviewFormOutcome?: import('./lib/server/collect/review-form-posts.ts').ReviewFormOutcome;
    /** Set only by a publish rendering its pages (render-pages.ts): the page and its props. */
    publicPage?: import('./lib/server/publish/public-pages.ts').PublicPage;
  }
}
