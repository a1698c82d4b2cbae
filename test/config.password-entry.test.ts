import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { ConfigError, loadConfig } from '../src/config';

describe('config: PASSWORD_ENTRY', () => {
  it('defaults to the chat, as before the setting existed', () => {
    assert.equal(loadConfig({ NODE_ENV: 'development' }).passwordEntry, 'chat');
  });

  it('accepts « link » and « chat »', () => {
    assert.equal(loadConfig({ NODE_ENV: 'development', PASSWORD_ENTRY: 'link' }).passwordEntry, 'link');
    assert.equal(loadConfig({ NODE_ENV: 'development', PASSWORD_ENTRY: 'chat' }).passwordEntry, 'chat');
  });

  it('refuses anything else, naming the variable in French', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'development', PASSWORD_ENTRY: 'page' }),
      (error: unknown) =>
        error instanceof ConfigError && /PASSWORD_ENTRY : « chat » ou « link »/.test(error.message),
    );
  });
});
