// ESLint for the project's own scripts (`make lint`): the pages' classic scripts, the door's workers, the Node test.
// Vendored code (static/vendor) is not ours to lint.
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  { ignores: ["static/vendor/**", "node_modules/**", ".venv/**", "instance/**"] },
  js.configs.recommended,
  {
    rules: {
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-implicit-globals": "error",
      "no-shadow": "error",
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
    },
  },
  {
    // Classic scripts of the pages: no modules, no build step.
    files: ["static/js/**/*.js"],
    languageOptions: { ecmaVersion: 2020, sourceType: "script", globals: globals.browser },
  },
  // Shared with Node's tests: window.DoorRules for the page, module.exports for Node.
  { files: ["static/js/door-rules.js"], languageOptions: { globals: { module: "readonly" } } },
  // Workers: a worker's global scope is its own.
  {
    files: ["static/js/checkin-sw.js"],
    languageOptions: { globals: globals.serviceworker },
    rules: { "no-implicit-globals": "off" },
  },
  {
    files: ["static/js/checkin-decoder.js"],
    languageOptions: { globals: globals.worker },
    rules: { "no-implicit-globals": "off" },
  },
  {
    files: ["eslint.config.js", "tests/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "commonjs", globals: globals.node },
  },
];
