package io.cortex.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The rules of the engine module (docs/architecture.md, "Modules"): Camunda in the plugin and the Java API only,
 * no Spring or CLI library, JGit only behind {@code io.cortex.git}, every package (the API's included) free of cycles.
 */
class EngineArchitectureTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      // the modules' main classes, from folders or jars (mvn verify packages them), never their test jars
      .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/test-classes/"))
      .importPackages("io.cortex");

  @Test
  void camundaOnlyInEngineAndApi() {
    noClasses()
      .that().resideOutsideOfPackages("io.cortex.engine..", "io.cortex")
      .should().dependOnClassesThat().resideInAnyPackage("org.camunda..")
      .because("the core stays engine-neutral; the engine plugin and the Cortex API are the Camunda side").check(CLASSES);
  }

  @Test
  void noSpringNoCli() {
    noClasses().should().dependOnClassesThat()
      .resideInAnyPackage("org.springframework..", "picocli..")
      .because("the plugin runs in any engine, with Spring or without; the starter and the application bring Spring").check(CLASSES);
  }

  @Test
  void jgitOnlyInGit() {
    noClasses().that().resideOutsideOfPackage("io.cortex.git..")
      .should().dependOnClassesThat().resideInAPackage("org.eclipse.jgit..")
      .because("all git access goes through io.cortex.git").check(CLASSES);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.(**)").should().beFreeOfCycles().check(CLASSES);
  }
}
