/**
 * What the server tests check of the shop WAR once a real server runs it ({@link io.pgdbm.it.server.ShopOnAServer}),
 * and what they share to start one ({@link io.pgdbm.it.server.ServerProcess}, {@link io.pgdbm.it.server.Wars}).
 */
package io.pgdbm.it.server;
