/*
 * orders-api: creates an order, reserves its items in inventory-api, then has
 * payments-api charge it.
 */
// @ts-check
'use strict';

const { createService, route } = require('../service');
const { servicePort, serviceUrl } = require('../topology');

const service = createService('orders-api');
const { app, db, logger } = service;

app.post(
  '/orders',
  route(async (req, res) => {
    /** @type {{ customerId: string, items: Array<{ sku: string, quantity: number, price: number }> }} */
    const { customerId, items } = req.body;
    const total = items.reduce(
      (sum, item) => sum + item.price * item.quantity,
      0,
    );
    const [orderId] = await db('orders').insert({
      customer_id: customerId,
      total,
      status: 'pending',
      created_at: new Date().toISOString(),
    });
    logger.info(`order ${orderId} created for ${customerId}`);
    try {
      await service.call(
        'inventory-api',
        `${serviceUrl('inventory-api')}/reservations`,
        { method: 'POST', body: { orderId, items } },
      );
      await service.call(
        'payments-api',
        `${serviceUrl('payments-api')}/payments`,
        {
          method: 'POST',
          body: { orderId, amount: total },
        },
      );
    } catch (error) {
      await db('orders').where({ id: orderId }).update({ status: 'failed' });
      throw error;
    }
    await db('orders').where({ id: orderId }).update({ status: 'paid' });
    logger.info(`order ${orderId} paid`);
    res.status(201).json({ orderId, status: 'paid', total });
  }),
);

app.get(
  '/orders/:id',
  route(async (req, res) => {
    const order = await db('orders')
      .where({ id: Number(req.params.id) })
      .first();
    if (!order) {
      res.status(404).json({ error: `no order ${req.params.id}` });
      return;
    }
    res.json(order);
  }),
);

service.handleErrors();

(async () => {
  await db.schema.createTable('orders', table => {
    table.increments('id');
    table.string('customer_id').notNullable();
    table.decimal('total').notNullable();
    table.string('status').notNullable();
    table.string('created_at').notNullable();
  });
  await service.listen(servicePort('orders-api'));
})();
