/*
 * frontend: the storefront's backend-for-frontend. Product pages read
 * inventory-api; checkout prices the cart and places the order with orders-api.
 */
// @ts-check
'use strict';

const { createService, route } = require('../service');
const { servicePort, serviceUrl } = require('../topology');

const service = createService('frontend');
const { app, logger } = service;
const inventory = serviceUrl('inventory-api');

app.get(
  '/api/products',
  route(async (_req, res) => {
    res.json(await service.call('inventory-api', `${inventory}/stock`));
  }),
);

app.get(
  '/api/products/:sku',
  route(async (req, res) => {
    res.json(
      await service.call(
        'inventory-api',
        `${inventory}/stock/${encodeURIComponent(req.params.sku)}`,
      ),
    );
  }),
);

app.post(
  '/api/checkout',
  route(async (req, res) => {
    /** @type {{ customerId: string, cart: Array<{ sku: string, quantity: number }> }} */
    const { customerId, cart } = req.body;
    /** @type {Array<{ sku: string, price: number }>} */
    const stock = await service.call('inventory-api', `${inventory}/stock`);
    const prices = new Map(stock.map(item => [item.sku, Number(item.price)]));
    const items = cart.map(item => ({
      ...item,
      price: prices.get(item.sku) ?? 0,
    }));
    const order = await service.call(
      'orders-api',
      `${serviceUrl('orders-api')}/orders`,
      {
        method: 'POST',
        body: { customerId, items },
      },
    );
    logger.info(`checkout of ${customerId} is order ${order.orderId}`);
    res.status(201).json(order);
  }),
);

service.handleErrors();

service.listen(servicePort('frontend'));
