// Kubernetes' syntax rules for names, label keys and label values. Each check returns why the
// value is refused, worded so it can follow the value in a field error, or undefined when valid.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Container names, template names: lowercase letters, digits and '-', at most 63 characters. */
export function dns1123LabelProblem(value: string): string | undefined {
  if (value.length > 63) return `must be at most 63 characters (is ${value.length})`;
  if (!DNS1123_LABEL.test(value)) {
    return "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit (e.g. 'my-name')";
  }
  return undefined;
}

/** Service names: a DNS-1035 label (starts with a letter). */
export function serviceNameProblem(value: string): string | undefined {
  if (value.length > 63) return `must be at most 63 characters (is ${value.length})`;
  if (!DNS1035_LABEL.test(value)) {
    return "must be a valid Service name (DNS-1035 label): lowercase letters, digits and '-', starting with a letter and ending with a letter or digit (e.g. 'my-service')";
  }
  return undefined;
}

/** A label or annotation key: `[prefix/]name`, prefix a DNS subdomain, name at most 63 characters. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (prefix === '') return 'the prefix before "/" must not be empty';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) {
      return 'the prefix before "/" must be a DNS subdomain: lowercase letters, digits, "-" and ".", at most 253 characters (e.g. example.com/key)';
    }
  }
  if (name === '') return 'the name part must not be empty';
  if (name.length > 63) return `the name part must be at most 63 characters (is ${name.length})`;
  if (!QUALIFIED_NAME_PART.test(name)) {
    return "the name part must consist of letters, digits, '-', '_' or '.', and start and end with a letter or digit (e.g. 'app.kubernetes.io/name' or 'tier')";
  }
  return undefined;
}

/** A label value: empty, or at most 63 letters, digits, '-', '_', '.', starting and ending alphanumeric. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return `must be at most 63 characters (is ${value.length})`;
  if (!QUALIFIED_NAME_PART.test(value)) {
    return "must be empty or consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  }
  return undefined;
}

/** A container port name (IANA_SVC_NAME): at most 15 lowercase letters, digits and '-', with a letter. */
export function portNameProblem(value: string): string | undefined {
  if (value.length > 15) return `must be at most 15 characters (is ${value.length})`;
  if (!IANA_SVC_NAME.test(value) || value.includes('--') || !/[a-z]/.test(value)) {
    return "must be an IANA service name: lowercase letters, digits and single '-', at least one letter, at most 15 characters (e.g. 'http')";
  }
  return undefined;
}
