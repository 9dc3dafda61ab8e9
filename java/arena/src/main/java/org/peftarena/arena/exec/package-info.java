/**
 * Where an arena's runs execute: the executor interface and its local and shard implementations,
 * the self-contained run unit with its manifest, the plan file, and the coordinator's ingestion.
 */
package org.peftarena.arena.exec;
