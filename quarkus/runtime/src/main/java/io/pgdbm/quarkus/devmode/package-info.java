/**
 * Quarkus dev mode: the error page that makes pgdbm's one-line summary the headline when pgdbm stops a start
 * ({@link io.pgdbm.quarkus.devmode.StartupFailurePage}). The restart when a module's migrations change is the
 * deployment module's ({@code pgdbm-quarkus-deployment}, {@code io.pgdbm.quarkus.deployment}).
 */
package io.pgdbm.quarkus.devmode;
