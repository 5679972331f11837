package io.sochdb.release;
public class Application { public static void main(String[] a) throws Exception { new org.apache.camel.main.Main(Application.class).run(a);} }
