import '#infra/local/polyfills';
