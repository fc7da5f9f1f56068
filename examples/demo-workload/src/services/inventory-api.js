/*
 * inventory-api: the stock of every product. Reservations take items out of
 * stock in a transaction. Now and then a request runs a query written for an
 * old schema and fails with a real SQLite error.
 */
// @ts-check
'use strict';

const { createService, route } = require('../service');
const { servicePort } = require('../topology');

const service = createService('inventory-api');
const { app, db, logger } = service;

const PRODUCTS = [
  { sku: 'SKU-1001', name: 'Trail running shoes', price: 129 },
  { sku: 'SKU-1002', name: 'Rain jacket', price: 189 },
  { sku: 'SKU-1003', name: 'Wool socks', price: 19 },
  { sku: 'SKU-1004', name: 'Headlamp', price: 45 },
  { sku: 'SKU-1005', name: 'Water bottle', price: 25 },
  { sku: 'SKU-1006', name: 'Trekking poles', price: 99 },
];

/** Share of reservations that hit the stale query. */
const STALE_QUERY_RATE = 0.04;

app.get(
  '/stock',
  route(async (_req, res) => {
    res.json(await db('stock').select('sku', 'name', 'price', 'quantity'));
  }),
);

app.get(
  '/stock/:sku',
  route(async (req, res) => {
    const item = await db('stock').where({ sku: req.params.sku }).first();
    if (!item) {
      logger.info(`no product ${req.params.sku}`);
      res.status(404).json({ error: `no product ${req.params.sku}` });
      return;
    }
    res.json(item);
  }),
);

app.post(
  '/reservations',
  route(async (req, res) => {
    /** @type {{ orderId: number, items: Array<{ sku: string, quantity: number }> }} */
    const { orderId, items } = req.body;
    if (Math.random() < STALE_QUERY_RATE) {
      // The `reserved` column was dropped from the schema long ago.
      await db('stock')
        .where({ sku: items[0].sku })
        .increment('reserved', items[0].quantity);
    }
    const missing = await db.transaction(async trx => {
      for (const item of items) {
        const row = await trx('stock').where({ sku: item.sku }).first();
        if (!row || row.quantity < item.quantity) return item.sku;
        await trx('stock')
          .where({ sku: item.sku })
          .decrement('quantity', item.quantity);
      }
      return undefined;
    });
    if (missing) {
      logger.warn(`order ${orderId}: ${missing} is out of stock`);
      res.status(409).json({ error: `${missing} is out of stock` });
      return;
    }
    logger.info(`order ${orderId}: reserved ${items.length} products`);
    res.status(201).json({ orderId, reserved: items.length });
  }),
);

service.handleErrors();

(async () => {
  await db.schema.createTable('stock', table => {
    table.string('sku').primary();
    table.string('name').notNullable();
    table.decimal('price').notNullable();
    table.integer('quantity').notNullable();
  });
  // Restocked so that the shop never runs dry while the demo runs for days.
  await db('stock').insert(PRODUCTS.map(p => ({ ...p, quantity: 1_000_000 })));
  await service.listen(servicePort('inventory-api'));
})();
