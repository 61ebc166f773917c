package io.pgdbm.it.shop;

import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.it.shop.orders.OrdersModule;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;

/** What the server tests call: each operation answers in plain text ({@code key=value} lines for the report). */
@Path("shop")
@Produces(MediaType.TEXT_PLAIN)
@RequestScoped
public class ShopResource {

    @Inject
    UsersModule usersModule;

    @Inject
    OrdersModule ordersModule;

    /** Injected by name where no module is declared. */
    @Inject
    @Module("orders")
    ModuleDatabase orders;

    @Inject
    Shop shop;

    @Inject
    Checkout checkout;

    /** Which module each injection point got, a rendered cross-module template, and the number of accounts. */
    @GET
    @Path("report")
    public String report() {
        return "users-module=" + usersModule.db().name() + "/" + usersModule.db().schema() + "\n"
                + "orders-module=" + ordersModule.db().name() + "/" + ordersModule.db().schema() + "\n"
                + "qualified-orders=" + orders.name() + "/" + orders.schema() + "\n"
                + "rendered=" + orders.render("SELECT count(*) FROM {{tables.users.accounts}}") + "\n"
                + "accounts=" + orders.fetchValue("SELECT count(*) FROM {{tables.users.accounts}}", Long.class) + "\n";
    }

    /** A new account, outside any transaction. */
    @POST
    @Path("accounts")
    public long account(@QueryParam("email") String email) {
        return usersModule.db().fetchValue("INSERT INTO {{tables.accounts}} (email) VALUES (?) RETURNING id",
                Long.class, email);
    }

    /** The email of an order's account (a join written in the orders module). */
    @GET
    @Path("owner")
    public String owner(@QueryParam("order") long order) {
        return ordersModule.ownerOf(order);
    }

    @POST
    @Path("checkout")
    public long checkout(@QueryParam("account") long account, @QueryParam("fail") String fail) {
        return checkout.checkout(account, new BigDecimal("12.50"), fail);
    }

    @POST
    @Path("open")
    public long open(@QueryParam("email") String email, @QueryParam("fail") boolean fail) {
        return shop.open(email, fail);
    }

    @POST
    @Path("open-in-transaction")
    public long openInTransaction(@QueryParam("email") String email, @QueryParam("fail") boolean fail) {
        return shop.openInTransaction(email, fail);
    }

    @POST
    @Path("nested")
    public String nested(@QueryParam("email") String email) {
        shop.openWithAFailedNestedPart(email);
        return "done";
    }

    @POST
    @Path("independent")
    public String independent(@QueryParam("email") String email, @QueryParam("fail") boolean fail) {
        shop.openWithAnIndependentEntry(email, fail);
        return "done";
    }
}
