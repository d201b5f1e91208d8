export type {
  ActRef,
  Approval,
  ClassShare,
  ClassShareSet,
  ConsolidatedRow,
  ReportItems,
  RolloutReportData,
  RolloutReportStatus,
} from './rollout-report';
export { rolloutReportDocx } from './report-docx';
export { consolidatedReportXlsx } from './consolidated-xlsx';
