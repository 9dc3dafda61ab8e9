/** Arena configurations: the YAML or JSON file, the built-in presets ({@code quick}, {@code full}) and the validated {@link org.peftarena.arena.config.ArenaConfig} they become. */
package org.peftarena.arena.config;
