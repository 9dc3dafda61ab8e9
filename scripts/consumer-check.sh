#!/usr/bin/env bash
# Builds a project outside this repository against the installed PEFT-Arena artifacts (run
# `mvn install` first; ./run-tests does) and runs the README's Java example in it, exactly as the
# README writes it. Also checks what a user gets: the native library inside the kernels jar, no
# logging backend among the library's dependencies. Offline: everything comes from the local
# Maven repository (MAVEN_REPO_LOCAL overrides ~/.m2/repository).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/java/bom/pom.xml" | head -n 1)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() { echo "consumer-check: $*" >&2; exit 1; }

kernels_jar="$repo/org/peftarena/peft-arena-kernels/$version/peft-arena-kernels-$version.jar"
[ -f "$kernels_jar" ] || fail "$kernels_jar is not installed; run 'mvn install -DskipTests' first"
# (listings are read whole before grep: grep -q closing a pipe early would fail it under pipefail)
listing="$(unzip -l "$kernels_jar")"
grep -q 'org/peftarena/kernels/jni/linux-x86_64/libpeftarena_native.so' <<<"$listing" \
  || fail "the kernels jar lacks the native library"
for m in kernels formats model peft train analysis arena; do
  jar="$repo/org/peftarena/peft-arena-$m/$version/peft-arena-$m-$version.jar"
  [ -f "$jar" ] || fail "$jar is not installed"
  listing="$(unzip -l "$jar")"
  if grep -q 'org/slf4j/' <<<"$listing"; then fail "peft-arena-$m bundles SLF4J classes"; fi
done

# the README's Java example, taken verbatim from the block after the consumer-check marker
mkdir -p "$work/src/main/java"
awk '/<!-- consumer-check: Example.java -->/ {m=1; next}
     m==1 && /^```java$/ {m=2; next}
     m==2 && /^```$/ {exit}
     m==2 {print}' "$root/README.md" > "$work/src/main/java/Example.java"
[ -s "$work/src/main/java/Example.java" ] || fail "no Java example found in README.md"

cat > "$work/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>peft-arena-consumer</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.peftarena</groupId><artifactId>peft-arena-bom</artifactId><version>$version</version>
        <type>pom</type><scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency><groupId>org.peftarena</groupId><artifactId>peft-arena-kernels</artifactId></dependency>
    <dependency><groupId>org.peftarena</groupId><artifactId>peft-arena-model</artifactId></dependency>
  </dependencies>
  <build>
    <plugins>
      <!-- the plugin versions the repository's own build already fetched -->
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
      <plugin>
        <groupId>org.codehaus.mojo</groupId><artifactId>exec-maven-plugin</artifactId><version>3.5.0</version>
        <executions>
          <execution>
            <id>run-example</id>
            <phase>process-classes</phase>
            <goals><goal>exec</goal></goals>
            <configuration>
              <executable>java</executable>
              <arguments>
                <argument>-classpath</argument><classpath/>
                <argument>Example</argument>
                <argument>$root/models/tiny-europarl</argument>
              </arguments>
              <outputFile>$work/example.out</outputFile>
            </configuration>
          </execution>
          <execution>
            <id>list-classpath</id>
            <phase>process-classes</phase>
            <goals><goal>exec</goal></goals>
            <configuration>
              <executable>echo</executable>
              <arguments><classpath/></arguments>
              <outputFile>$work/classpath.txt</outputFile>
            </configuration>
          </execution>
        </executions>
      </plugin>
    </plugins>
  </build>
</project>
POM

(cd "$work" && mvn -B -q -o -Dmaven.repo.local="$repo" process-classes) || fail "the consumer project did not build or run"
out="$(cat "$work/example.out")"
echo "consumer-check: Example printed: $out"
grep -q 'R\[0\]\[0\] = 1.0, largest singular value 32.0, model hidden size 192' <<<"$out" \
  || fail "unexpected output of the README example"
if tr ':' '\n' < "$work/classpath.txt" | grep -q 'slf4j-simple\|logback\|log4j-slf4j'; then
  fail "a logging backend reached the consumer's classpath: $(tr ':' '\n' < "$work/classpath.txt" | grep 'slf4j\|logback\|log4j')"
fi
echo "consumer-check: OK (peft-arena $version from $repo)"
