/** Set by web/vite.config.ts: false in the cloud build (`--mode cloud`), which has no local sign-in. */
declare const __LOCAL_SIGN_IN__: boolean;
