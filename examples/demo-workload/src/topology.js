/*
 * The demo shop: which services there are and where they listen. Ports follow
 * DEMO_PORT (default 7020): frontend on DEMO_PORT, orders-api on DEMO_PORT + 1,
 * payments-api on + 2, inventory-api on + 3.
 */
// @ts-check
'use strict';

/** In the order of their ports; each is `src/services/<name>.js`. */
const SERVICES = ['frontend', 'orders-api', 'payments-api', 'inventory-api'];

/**
 * @param {string} name one of SERVICES
 * @param {NodeJS.ProcessEnv} [env]
 */
function servicePort(name, env = process.env) {
  const index = SERVICES.indexOf(name);
  if (index < 0) throw new Error(`no demo service is called ${name}`);
  return Number(env.DEMO_PORT || 7020) + index;
}

/**
 * @param {string} name one of SERVICES
 * @param {NodeJS.ProcessEnv} [env]
 */
function serviceUrl(name, env = process.env) {
  return `http://127.0.0.1:${servicePort(name, env)}`;
}

module.exports = { SERVICES, servicePort, serviceUrl };
