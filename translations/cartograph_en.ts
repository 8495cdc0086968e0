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
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n pod&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n pod&lt;/numerusform&gt;
            &lt;numerusform&gt;%n pods&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n service&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n service&lt;/numerusform&gt;
            &lt;numerusform&gt;%n services&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n pod, first %1 drawn&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n pod, first %1 drawn&lt;/numerusform&gt;
            &lt;numerusform&gt;%n pods, first %1 drawn&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;→ %n pod&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;→ %n pod&lt;/numerusform&gt;
            &lt;numerusform&gt;→ %n pods&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n node&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n node&lt;/numerusform&gt;
            &lt;numerusform&gt;%n nodes&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;cartograph::CniDetection&lt;/name&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;no tunnel device on the %n node with interface facts&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;no tunnel device on the %n node with interface facts&lt;/numerusform&gt;
            &lt;numerusform&gt;no tunnel device on the %n nodes with interface facts&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;cartograph::PolicyEngine&lt;/name&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;service port %1/%2 forwards to targetPort %3 on %n backend</numerusform>
            <numerusform>bridge · %n ports&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;bridge · %n port&lt;/numerusform&gt;
            &lt;numerusform&gt;bridge · %n ports&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n pods&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n pod&lt;/numerusform&gt;
            &lt;numerusform&gt;%n pods&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n services&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n service&lt;/numerusform&gt;
            &lt;numerusform&gt;%n services&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n pods, first %1 drawn&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n pod, first %1 drawn&lt;/numerusform&gt;
            &lt;numerusform&gt;%n pods, first %1 drawn&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;→ %n pods&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;→ %n pod&lt;/numerusform&gt;
            &lt;numerusform&gt;→ %n pods&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n nodes&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n node&lt;/numerusform&gt;
            &lt;numerusform&gt;%n nodes&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;cartograph::CniDetection&lt;/name&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;no tunnel device on the %n nodes with interface facts&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;no tunnel device on the %n node with interface facts&lt;/numerusform&gt;
            &lt;numerusform&gt;no tunnel device on the %n nodes with interface facts&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;cartograph::PolicyEngine&lt;/name&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;service port %1/%2 forwards to targetPort %3 on %n backends</numerusform>
        </translation>
    </message>
</context>
</TS>
