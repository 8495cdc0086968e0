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
</TS>
