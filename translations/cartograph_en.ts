<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Diagram</name>
    <message numerus="yes">
        <source>bridge · %n port(s)</source>
        <translation>
            <numerusform>bridge · %n port</numerusform>
            <numerusform>bridge · %n ports</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pod(s)</source>
        <translation>
            <numerusform>%n pod</numerusform>
            <numerusform>%n pods</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n service(s)</source>
        <translation>
            <numerusform>%n service</numerusform>
            <numerusform>%n services</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pod(s), first %1 drawn</source>
        <translation>
            <numerusform>%n pod, first %1 drawn</numerusform>
            <numerusform>%n pods, first %1 drawn</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>→ %n pod(s)</source>
        <translation>
            <numerusform>→ %n pod</numerusform>
            <numerusform>→ %n pods</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n node(s)</source>
        <translation>
            <numerusform>%n node</numerusform>
            <numerusform>%n nodes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cartograph::CniDetection</name>
    <message numerus="yes">
        <source>no tunnel device on the %n node(s) with interface facts</source>
        <translation>
            <numerusform>no tunnel device on the %n node with interface facts</numerusform>
            <numerusform>no tunnel device on the %n nodes with interface facts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cartograph::PolicyEngine</name>
    <message numerus="yes">
        <source>service port %1/%2 forwards to targetPort %3 on %n backend(s)</source>
        <translation>
            <numerusform>bridge · %n port&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;bridge · %n port&lt;/numerusform&gt;
            &lt;numerusform&gt;bridge · %n ports&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;%n pod&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n pod&lt;/numerusform&gt;
            &lt;numerusform&gt;%n pods&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;%n service&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n service&lt;/numerusform&gt;
            &lt;numerusform&gt;%n services&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;%n pod, first %1 drawn&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n pod, first %1 drawn&lt;/numerusform&gt;
            &lt;numerusform&gt;%n pods, first %1 drawn&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;→ %n pod&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;→ %n pod&lt;/numerusform&gt;
            &lt;numerusform&gt;→ %n pods&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;%n node&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n node&lt;/numerusform&gt;
            &lt;numerusform&gt;%n nodes&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;cartograph::CniDetection&lt;/name&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;no tunnel device on the %n node with interface facts&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;no tunnel device on the %n node with interface facts&lt;/numerusform&gt;
            &lt;numerusform&gt;no tunnel device on the %n nodes with interface facts&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;cartograph::PolicyEngine&lt;/name&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;service port %1/%2 forwards to targetPort %3 on %n backend</numerusform>
            <numerusform>bridge · %n ports&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;bridge · %n port&lt;/numerusform&gt;
            &lt;numerusform&gt;bridge · %n ports&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;%n pods&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n pod&lt;/numerusform&gt;
            &lt;numerusform&gt;%n pods&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;%n services&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n service&lt;/numerusform&gt;
            &lt;numerusform&gt;%n services&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;%n pods, first %1 drawn&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n pod, first %1 drawn&lt;/numerusform&gt;
            &lt;numerusform&gt;%n pods, first %1 drawn&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;→ %n pods&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;→ %n pod&lt;/numerusform&gt;
            &lt;numerusform&gt;→ %n pods&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;%n nodes&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n node&lt;/numerusform&gt;
            &lt;numerusform&gt;%n nodes&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;cartograph::CniDetection&lt;/name&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;no tunnel device on the %n nodes with interface facts&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;no tunnel device on the %n node with interface facts&lt;/numerusform&gt;
            &lt;numerusform&gt;no tunnel device on the %n nodes with interface facts&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;cartograph::PolicyEngine&lt;/name&gt;
    &lt;message numerus=&quot;yes&quot;&gt;
        &lt;source&gt;service port %1/%2 forwards to targetPort %3 on %n backends</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cartograph::app::DiagnosticsPanel</name>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n note(s)</source>
        <translation>
            <numerusform>%n note</numerusform>
            <numerusform>%n notes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cartograph::app::LiveCaptureDialog</name>
    <message numerus="yes">
        <source>%n flow(s)</source>
        <translation>
            <numerusform>%n flow</numerusform>
            <numerusform>%n flows</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cartograph::app::LiveCluster</name>
    <message numerus="yes">
        <source>%1: listing %2 (%n page(s), %3 objects)</source>
        <translation>
            <numerusform>%1: listing %2 (%n page, %3 objects)</numerusform>
            <numerusform>%1: listing %2 (%n pages, %3 objects)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cartograph::app::MainWindow</name>
    <message numerus="yes">
        <source>Cluster changed: %n object(s)</source>
        <translation>
            <numerusform>Cluster changed: %n object</numerusform>
            <numerusform>Cluster changed: %n objects</numerusform>
        </translation>
    </message>
</context>
</TS>
