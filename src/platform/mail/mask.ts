/**
 * E-mail addresses are personal data: logs show them as a***@example.com, which is enough to
 * tell a mis-typed domain or a wrong person from another and names no one.
 */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

// Anything shaped like local@domain, stopping at the brackets and quotes SMTP replies wrap it in.
const ADDRESS = /[^\s<>()[\]@,;:"']+@[^\s<>()[\]@,;:"']+/g;

/** Masks every address in a text, e.g. an SMTP reply that quotes the rejected recipient. */
export function maskAddresses(text: string): string {
  return text.replace(ADDRESS, (a) => maskAddress(a));
}
