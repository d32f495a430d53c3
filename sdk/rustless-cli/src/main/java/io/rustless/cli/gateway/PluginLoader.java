package io.rustless.cli.gateway;

import io.rustless.cli.gateway.fetch.ModuleFetcher;
import io.rustless.cli.gateway.higress.PluginDeployment;

/**
 * Turns a fetched module and its deployment into a plugin the gateway can run: compiles the module,
 * starts its VMs and configures them. It fails (with a {@link io.rustless.cli.ToolException} whose
 * message says why) when Envoy would refuse the plugin: a module that does not load, a start or
 * {@code proxy_on_configure} that fails.
 */
@FunctionalInterface
public interface PluginLoader<P extends LoadedPlugin> {
  P load(PluginDeployment deployment, ModuleFetcher.FetchedModule module);
}
