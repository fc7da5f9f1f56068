/*
 * payments-api: charges an order. A fraud check runs first; now and then it
 * takes the slow path (seconds), now and then the card is declined, and now
 * and then the card network times out (an error).
 */
// @ts-check
'use strict';

const { SpanStatusCode } = require('@opentelemetry/api');
const { codeAttributes, createService, route, sleep } = require('../service');
const { servicePort } = require('../topology');

const service = createService('payments-api');
const { app, db, logger, tracer } = service;

const SLOW_FRAUD_CHECK_RATE = 0.05;
const DECLINE_RATE = 0.06;
const NETWORK_TIMEOUT_RATE = 0.02;

/** A span of our own around work no library instruments. */
async function fraudCheck(/** @type {number} */ orderId) {
  const code = codeAttributes();
  return tracer.startActiveSpan('fraud check', async span => {
    const slow = Math.random() < SLOW_FRAUD_CHECK_RATE;
    span.setAttributes({
      ...code,
      'app.order.id': orderId,
      'app.fraud.slow_path': slow,
    });
    if (slow) {
      logger.warn(`order ${orderId}: fraud check fell back to manual rules`);
    }
    await sleep(slow ? 1500 + Math.random() * 1500 : 10 + Math.random() * 40);
    span.end();
  });
}

app.post(
  '/payments',
  route(async (req, res) => {
    /** @type {{ orderId: number, amount: number }} */
    const { orderId, amount } = req.body;
    await fraudCheck(orderId);

    await tracer.startActiveSpan('card network authorize', async span => {
      span.setAttribute('app.order.id', orderId);
      try {
        await sleep(20 + Math.random() * 60);
        if (Math.random() < NETWORK_TIMEOUT_RATE) {
          throw new Error('card network did not answer within 2 s');
        }
      } catch (error) {
        span.recordException(/** @type {Error} */ (error));
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: String(/** @type {Error} */ (error).message),
        });
        throw error;
      } finally {
        span.end();
      }
    });

    const declined = Math.random() < DECLINE_RATE;
    const [paymentId] = await db('payments').insert({
      order_id: orderId,
      amount,
      status: declined ? 'declined' : 'captured',
      created_at: new Date().toISOString(),
    });
    if (declined) {
      logger.warn(`order ${orderId}: card declined`);
      res.status(402).json({ error: 'card declined' });
      return;
    }
    logger.info(`order ${orderId}: captured ${amount.toFixed(2)} EUR`);
    res.status(201).json({ paymentId, status: 'captured' });
  }),
);

service.handleErrors();

(async () => {
  await db.schema.createTable('payments', table => {
    table.increments('id');
    table.integer('order_id').notNullable();
    table.decimal('amount').notNullable();
    table.string('status').notNullable();
    table.string('created_at').notNullable();
  });
  await service.listen(servicePort('payments-api'));
})();
