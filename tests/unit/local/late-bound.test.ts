import { describe, expect, it } from 'vitest';
import { lateBound } from '../../../lib/local/late-bound.ts';

describe('lateBound', () => {
  it('calls the function bound after the call was handed out', () => {
    const double = lateBound<[number], number>('double');
    const handedOut = double.call;
    double.bind((n) => n * 2);
    expect(handedOut(21)).toBe(42);
  });

  it('refuses a call before the binding, naming what was called', () => {
    const fire = lateBound<[], void>("the embedded scheduler's firing");
    expect(() => fire.call()).toThrow("the embedded scheduler's firing was called before it was bound");
  });

  it('refuses a second binding', () => {
    const fire = lateBound<[], number>('fire');
    fire.bind(() => 1);
    expect(() => fire.bind(() => 2)).toThrow('fire is already bound');
    expect(fire.call()).toBe(1);
  });
});
