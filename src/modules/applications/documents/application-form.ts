/** The parents' application for e-diary access (the order's Appendix 4), as Word and as PDF. */
import { appendix4Form, ApplicationFormData } from './appendix4-form';
import { renderDocx } from './docx-render';
import { renderPdf } from './pdf-render';

// `async`, so that bad input (an impossible date) arrives as a rejection, not a synchronous throw.

/** An editable DOCX, for a school that prints its own copies or keeps a template. */
export async function applicationFormDocx(data: ApplicationFormData): Promise<Buffer> {
  return renderDocx(appendix4Form(data));
}

/** A PDF that prints the same everywhere, with its fonts embedded. */
export async function applicationFormPdf(data: ApplicationFormData): Promise<Buffer> {
  return renderPdf(appendix4Form(data));
}
