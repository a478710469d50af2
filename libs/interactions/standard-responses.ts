/** What a standard response's placeholders stand for. */
export interface TemplateValues {
  customerName: string | null;
  customerHandle: string | null;
  agentName: string;
}

const PLACEHOLDER = /\{\{\s*(customer\.name|customer\.handle|agent\.name)\s*\}\}/g;

/**
 * `{{customer.name}}`, `{{customer.handle}}` and `{{agent.name}}` replaced (spaces inside the braces allowed). A
 * customer without a name is greeted by handle, one without either by nothing; a handle is shown with its `@`.
 * Anything else in braces is left as written.
 */
export function expandTemplate(text: string, values: TemplateValues): string {
  const handle = values.customerHandle ? `@${values.customerHandle.replace(/^@/, '')}` : '';
  return text.replace(PLACEHOLDER, (_match, name: string) => {
    switch (name) {
      case 'customer.name':
        return values.customerName ?? handle;
      case 'customer.handle':
        return handle;
      default:
        return values.agentName;
    }
  });
}
