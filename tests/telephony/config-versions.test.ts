import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration, type Configuration } from '../../src/core/configuration/configuration.js';
import { CustomerDirectory } from '../../src/core/customers/customer-directory.js';
import { ConfigVersions } from '../../src/core/telephony/config-versions.js';

describe('configuration versions held for live calls', () => {
  let config: Configuration;
  beforeAll(() => {
    config = loadConfiguration();
  });
  const other = (version: string): Configuration => ({ ...config, version });

  it('starts new calls on the newest version and keeps older ones while calls still ask for them', () => {
    const versions = new ConfigVersions(config, 60_000, 0);
    expect(versions.install(other('v2'), 1_000)).toBe(true);
    expect(versions.current.config.version).toBe('v2');
    expect(versions.versions()).toEqual(['v2', config.version]);
    // A call on the first version keeps it alive.
    expect(versions.get(config.version, 50_000)?.config.version).toBe(config.version);
    versions.install(other('v3'), 100_000);
    expect(versions.versions()).toEqual(['v3', 'v2', config.version]);
    // Unused for longer than the retention: dropped at the next install.
    versions.install(other('v4'), 200_000);
    expect(versions.versions()).toEqual(['v4', 'v3']);
    expect(versions.get(config.version, 200_000)).toBeUndefined();
  });

  it('takes a reload with the same flows and rules but other customers', () => {
    const versions = new ConfigVersions(config, 60_000, 0);
    const customers = new CustomerDirectory([{ phone: '+8613900000001', vipLevel: 'diamond' }]);
    expect(versions.install({ ...config, customers }, 1_000)).toBe(false);
    expect(versions.current.config.customers).toBe(customers);
    expect(versions.current.decider.segmentFor({ caller: '+8613900000001' }).id).toBe('vip-diamond');
  });
});

describe('one FlowRuntime per configuration version', () => {
  let config: Configuration;
  beforeAll(() => {
    config = loadConfiguration();
  });

  it('is shared by the live calls and the decider of a version, and a reload builds a new one', () => {
    const versions = new ConfigVersions(config, 60_000, 0);
    const first = versions.current;
    expect(first.decider.runtime).toBe(first.runtime);
    versions.install({ ...config, version: 'v2' }, 1_000);
    expect(versions.current.runtime).not.toBe(first.runtime);
    expect(versions.current.decider.runtime).toBe(versions.current.runtime);
    // The same version loaded again (other customers) gets a new one too: nothing cached outlives its load.
    const again = versions.current.runtime;
    versions.install({ ...config, version: 'v2' }, 2_000);
    expect(versions.current.runtime).not.toBe(again);
    // The older version, still held for calls in progress, keeps its own.
    expect(versions.get(config.version, 2_000)!.runtime).toBe(first.runtime);
  });
});
