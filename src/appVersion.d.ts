/** Set by vite.config.ts `define`: the package version and the commit of the build ('' outside a git checkout). */
declare const __APP_VERSION__: string;
declare const __APP_COMMIT__: string;
