import { closestNames } from './unknownServices';

describe('closestNames', () => {
  const known = ['cart', 'checkout-api', 'frontend', 'orders-api', 'payments'];

  it('puts a typo’s intended name first', () => {
    expect(closestNames(['orders-apl'], known)[0]).toBe('orders-api');
    expect(closestNames(['Frontend'], known)[0]).toBe('frontend');
  });

  it('ranks a name containing the annotated one (or contained in it) first', () => {
    expect(closestNames(['checkout'], known)[0]).toBe('checkout-api');
    expect(closestNames(['shop-payments-service'], known)[0]).toBe('payments');
  });

  it('ranks by the closest of several unknown names and offers at most five', () => {
    const many = [...known, 'a', 'b', 'c'];
    const closest = closestNames(['cart-svc', 'orders'], many);
    expect(closest).toHaveLength(5);
    expect(closest.slice(0, 2).sort()).toEqual(['cart', 'orders-api']);
  });

  it('offers nothing when Tempo knows no services', () => {
    expect(closestNames(['orders'], [])).toEqual([]);
  });
});
