/**
 * The build-time half of pgdbm's Quarkus extension ({@code pgdbm-quarkus-deployment}): the {@code pgdbm} feature, and
 * dev mode's watch on the migrations folder of every {@code @DatabaseModule}, so that adding, changing or deleting a
 * migration restarts the application on the next request. Quarkus loads it at build time only.
 */
package io.pgdbm.quarkus.deployment;
