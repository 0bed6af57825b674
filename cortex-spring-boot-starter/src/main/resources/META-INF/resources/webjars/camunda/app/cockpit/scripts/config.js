/*
 * Cortex's Cockpit configuration. It replaces the webjar's own app/cockpit/scripts/config.js (the
 * application's classes come first on the class path), which holds nothing but commented-out examples;
 * the options are described at https://docs.camunda.org/manual/7.24/webapps/cockpit/extend/configuration/.
 *
 * customScripts are ES modules loaded relative to app/cockpit/ (".js" may be left out); their default export
 * is a plugin or an array of plugins of the Cockpit frontend plugin API (Camunda 7.14+).
 */
export default {
  customScripts: [
    // The "Checkpoints" tab on the process instance view: checkpoints, preview, rollback, audit log.
    'scripts/cortex-checkpoints.js'
  ]
};
