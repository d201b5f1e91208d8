/**
 * A school's rollout report (Appendix 3 to the order, «Отчет о введении электронных дневников учащихся
 * и электронного журнала успеваемости») as the documents in this folder print it. The 15 items are
 * the workflow's own `ReportItems`, so a stored report prints as it is. Every percentage is 0..100
 * and null where it is not known; the documents print that as «—» (DOCX) or an empty cell (XLSX),
 * never as zero.
 */
import type { ActRef, ClassShare, ClassShareSet, ReportItems } from '../report-items';

export type { ActRef, ClassShare, ClassShareSet, ReportItems };

/** The details of the order that approved a document: «приказ от 18.04.2026 № 45». Date YYYY-MM-DD. */
export type Approval = Pick<ActRef, 'approvalNumber' | 'approvalDate'>;

export type RolloutReportStatus = 'draft' | 'submitted' | 'accepted' | 'returned';

export interface RolloutReportData {
  school: { fullName: string; shortName: string };
  /** YYYY-MM-DD — «по состоянию на» */
  reportingDate: string;
  status: RolloutReportStatus;
  items: ReportItems;
  problems: { problem: string; solution: string; resolved: 'full' | 'partial' }[];
}

/** A school's line in the directorate's consolidated sheet; `report` is null when there is none to show. */
export interface ConsolidatedRow {
  school: { fullName: string; shortName: string };
  status: RolloutReportStatus | 'missing' | 'late';
  report: RolloutReportData | null;
}
