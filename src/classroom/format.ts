/** Number formats shared by the play screens, the messages and the debriefs. */

/** USD bn with two decimals and the sign first ("-$0.30bn"), never "-$0.00bn"; "n/a" for null. */
export function usd(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return 'n/a';
  const r = Math.round(x * 100) / 100;
  return `${r < 0 ? '-' : ''}$${Math.abs(r === 0 ? 0 : r).toFixed(2)}bn`;
}

/** Decimals an issue value is shown with: a value typed as shown must be taken as the value shown. */
export const AMOUNT_DECIMALS = 3;

/** An issue value: thousands separators, at most AMOUNT_DECIMALS decimals. */
export function amount(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: AMOUNT_DECIMALS });
}
