/** The few jStat functions tradesim uses (the package ships no types). */
declare module 'jstat' {
  interface JStat {
    studentt: { inv(p: number, dof: number): number };
    normal: { inv(p: number, mean: number, sd: number): number; cdf(x: number, mean: number, sd: number): number };
    /** k-th quantile, 0 <= k <= 1; linear interpolation between order statistics (R's type 7) unless exclusive. */
    percentile(values: readonly number[], k: number, exclusive?: boolean): number;
    mean(values: readonly number[]): number;
    /** Standard deviation; `flag` true gives the sample (n - 1) version. */
    stdev(values: readonly number[], flag?: boolean): number;
  }
  const jStat: JStat;
  export default jStat;
}
