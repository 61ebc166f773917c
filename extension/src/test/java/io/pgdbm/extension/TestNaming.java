package io.pgdbm.extension;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.OperationNotSupportedException;
import javax.naming.spi.InitialContextFactory;

/** A JNDI context with lookups only, standing in for an application server's (Payara, Open Liberty). */
public class TestNaming implements InitialContextFactory {

    static final Map<String, Object> BOUND = new ConcurrentHashMap<>();

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) {
        return (Context) Proxy.newProxyInstance(TestNaming.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "lookup" -> {
                            Object found = BOUND.get(String.valueOf(args[0]));
                            if (found == null) {
                                throw new NameNotFoundException(args[0] + " is not bound");
                            }
                            return found;
                        }
                        case "close" -> {
                            return null;
                        }
                        default -> throw new OperationNotSupportedException(method.getName());
                    }
                });
    }
}
