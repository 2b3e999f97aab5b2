import { distribution, spread } from './stats';

describe('bench statistics', () => {
  it('gives percentiles of a sample in any order', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1
    const d = distribution(values);
    expect(d.n).toBe(100);
    expect(d.p50).toBe(50.5); // the mean of the two middle values
    expect(d.p99).toBeCloseTo(99, 0);
    expect(d.max).toBe(100);
    expect(d.mean).toBeCloseTo(50.5);
    expect(values[0]).toBe(100); // the caller's array is not sorted in place
  });

  it('has no figures for an empty sample', () => {
    expect(distribution([]).n).toBe(0);
    expect(distribution([]).p99).toBeNaN();
  });

  it('gives the median and the range of a figure across repeats, ignoring runs without a figure', () => {
    expect(spread([1.2, 0.9, 1.5, NaN])).toEqual({ median: 1.2, min: 0.9, max: 1.5, values: [1.2, 0.9, 1.5, NaN] });
  });
});
