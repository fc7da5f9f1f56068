// @ts-check

/**
 * Tables of the embedded trace store (`src/embedded/`): spans with the columns searches
 * filter on, a summary row per trace, deduplicated resources/scopes, and log records.
 * Times are epoch nanoseconds in 64-bit integers.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('span_sources', table => {
    table.increments('id').primary();
    table.string('key', 64).notNullable().unique();
    table.string('service_name', 255).notNullable();
    table.text('resource_attributes').notNullable();
    table.text('scope_name');
    table.text('scope_version');
    table.binary('resource_payload').notNullable();
    table.binary('scope_payload').notNullable();
  });

  await knex.schema.createTable('spans', table => {
    table.string('trace_id', 32).notNullable();
    table.string('span_id', 16).notNullable();
    table.string('parent_span_id', 16);
    table.integer('source_id').notNullable();
    table.string('service_name', 255).notNullable();
    table.text('name').notNullable();
    table.smallint('kind').notNullable();
    table.smallint('status_code').notNullable();
    table.text('status_message');
    table.bigInteger('start_ns').notNullable();
    table.bigInteger('duration_ns').notNullable();
    table.text('attributes').notNullable();
    table.binary('payload').notNullable();
    table.index(['trace_id'], 'spans_trace_id_idx');
    table.index(['service_name', 'start_ns'], 'spans_service_start_idx');
    table.index(['start_ns'], 'spans_start_idx');
  });

  await knex.schema.createTable('traces', table => {
    table.string('trace_id', 32).primary();
    table.bigInteger('start_ns').notNullable();
    table.bigInteger('end_ns').notNullable();
    table.string('root_service_name', 255);
    table.text('root_span_name');
    table.integer('span_count').notNullable();
    table.integer('error_count').notNullable();
    table.index(['start_ns'], 'traces_start_idx');
    table.index(['end_ns'], 'traces_end_idx');
  });

  await knex.schema.createTable('logs', table => {
    table.bigIncrements('id').primary();
    table.string('trace_id', 32).notNullable();
    table.string('span_id', 16);
    table.integer('source_id').notNullable();
    table.string('service_name', 255).notNullable();
    table.bigInteger('time_ns').notNullable();
    table.bigInteger('observed_time_ns').notNullable();
    table.smallint('severity_number');
    table.text('severity_text');
    table.text('body').notNullable();
    table.text('attributes').notNullable();
    table.index(['trace_id', 'time_ns'], 'logs_trace_time_idx');
    table.index(['time_ns'], 'logs_time_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('logs');
  await knex.schema.dropTable('traces');
  await knex.schema.dropTable('spans');
  await knex.schema.dropTable('span_sources');
};
