export type { ApplicationFormData, ChildRelation, DeliveryChannel } from './appendix4-form';
export { applicationFormDocx, applicationFormPdf } from './application-form';
export type { CredentialSlipData } from './credential-slip';
export { credentialSlipPdf } from './credential-slip';
export type { PersonName } from './person-names';
