package io.pgdbm.it.shop;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The shop's HTTP interface, under {@code /api}. */
@ApplicationPath("api")
public class ShopApplication extends Application {
}
