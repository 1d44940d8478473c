import { z } from 'astro/zod';
import { percentage } from './nps.ts';

/** The questions a survey can ask: NPS (0–10), CSAT (1–5) or CES (1–7). */
export const surveyKinds = ['nps', 'csat', 'ces'] as const;

/** One survey kind. */
export type SurveyKind = (typeof surveyKinds)[number];

/** A survey kind as commands, forms and webhooks name it (lower case). */
export const surveyKindSchema = z.enum(surveyKinds, { message: 'kind must be nps, csat or ces' });

/** Whether a value names a survey kind. */
export function isSurveyKind(value: unknown): value is SurveyKind {
  return typeof value === 'string' && (surveyKinds as readonly string[]).includes(value);
}

/** The answer scale of each kind: its lowest and highest score. */
export const surveyScales: Record<SurveyKind, { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
};

/** The scores of a kind's scale, lowest first. */
export function scaleScores(kind: SurveyKind): number[] {
  const { min, max } = surveyScales[kind];
  return Array.from({ length: max - min + 1 }, (_, index) => min + index);
}

/** Whether `score` is on the scale of `kind` (a 9 is not a CSAT answer). */
export function isScoreOnScale(kind: SurveyKind, score: number): boolean {
  const { min, max } = surveyScales[kind];
  return Number.isInteger(score) && score >= min && score <= max;
}

/** CSAT over some answers: how many, how many were satisfied (4 or 5), and their share in percent. */
export interface CsatSummary {
  total: number;
  satisfied: number;
  /** satisfied ÷ total in percent; null without answers. */
  csat: number | null;
}

/** CSAT from the number of answers per score (index 1…5; other indexes are ignored). */
export function summarizeCsat(counts: readonly number[]): CsatSummary {
  let total = 0;
  let satisfied = 0;
  for (let score = 1; score <= 5; score++) {
    const answers = counts[score] ?? 0;
    total += answers;
    if (score >= 4) satisfied += answers;
  }
  return { total, satisfied, csat: percentage(satisfied, total) };
}

/** CES over some answers: how many, and their average score (1 very difficult … 7 very easy). */
export interface CesSummary {
  total: number;
  /** The mean score; null without answers. */
  ces: number | null;
}

/** CES from the number of answers per score (index 1…7; other indexes are ignored). */
export function summarizeCes(counts: readonly number[]): CesSummary {
  let total = 0;
  let sum = 0;
  for (let score = 1; score <= 7; score++) {
    const answers = counts[score] ?? 0;
    total += answers;
    sum += score * answers;
  }
  return { total, ces: total === 0 ? null : sum / total };
}
