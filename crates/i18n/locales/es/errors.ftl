# Errores que lee una persona: en las páginas, junto a los campos y en el `message` de
# la API. Diga qué pasó y qué hacer. Nunca nombre un secreto ni datos personales.

error-username-taken = Ese nombre de usuario ya está en uso. Elija otro.
error-invalid-credentials = El nombre de usuario o la contraseña no son correctos.
error-invalid-code = Ese código no es correcto. Revíselo e inténtelo de nuevo.
error-code-expired = Ese código venció. Pida un código nuevo.
error-code-attempts-exhausted = Hubo demasiados intentos incorrectos con este código. Pida un código nuevo.
error-code-used-wait = Ese código ya se usó. Espere un código nuevo.
error-code-used-app = Ese código ya se usó. Espere a que su aplicación muestre un código nuevo.
error-code-used-backup = Ese código ya se usó. Cada código de respaldo funciona una sola vez. Use otro.
error-code-used-ask-new = Ese código ya se usó. Pida un código nuevo.
# $minutes es 0 cuando la espera es de menos de un minuto; entonces la dice $seconds.
error-rate-limited = Demasiados intentos. Inténtelo de nuevo en { $minutes ->
        [0] { $seconds ->
            [one] 1 segundo
           *[other] { $seconds } segundos
        }
        [one] 1 minuto
       *[other] { $minutes } minutos
    }.
error-locked = Demasiados códigos incorrectos. Por su seguridad, el inicio de sesión está bloqueado. Inténtelo de nuevo en { $minutes ->
        [0] { $seconds ->
            [one] 1 segundo
           *[other] { $seconds } segundos
        }
        [one] 1 minuto
       *[other] { $minutes } minutos
    }.
error-recovery-required = Para proteger su cuenta, desactivamos sus métodos de inicio de sesión después de demasiados códigos incorrectos. Llame a la mesa de ayuda para confirmar que es usted y volver a entrar.
error-password-reset-required = Para proteger su cuenta, debe elegir una contraseña nueva antes de iniciar sesión. Use "¿Olvidó su contraseña?" para recibir un código por correo electrónico.
error-reset-code-refused = Ese código no funcionó. Puede que esté mal escrito, que ya se haya usado o que haya vencido. Revise nuestro correo electrónico más reciente o pida un código nuevo.
error-disavow-link-invalid = Este enlace no es válido o venció (los enlaces funcionan durante 7 días). Si cree que alguien está usando su cuenta, restablezca su contraseña o llame a la mesa de ayuda.
error-disavow-link-used = Este enlace ya se usó, así que su cuenta ya está protegida. Elija una contraseña nueva con "¿Olvidó su contraseña?" para iniciar sesión.
error-passkey-required = Usted tiene una llave de acceso, así que las herramientas de administración la requieren: inicie sesión de nuevo con su llave de acceso (un código de una aplicación o de un mensaje de texto no es suficiente).
error-passkeys-unavailable = Las llaves de acceso no están disponibles en este servidor (su dirección pública no es un nombre de dominio). Use otro método de inicio de sesión.
error-account-disabled = Nuestro personal desactivó esta cuenta. Llame a la mesa de ayuda para saber por qué y qué hacer.
error-unauthenticated = Primero debe iniciar sesión.
error-reauthentication-required = Por su seguridad, confirme de nuevo un segundo factor antes de cambiar sus métodos de inicio de sesión.
error-overloaded = El servicio está muy ocupado en este momento. Inténtelo de nuevo en { $seconds ->
        [one] 1 segundo
       *[other] { $seconds } segundos
    }.
error-source-unavailable-tax-returns = El sistema de registros tributarios con el que comparamos su información no responde en este momento. Lo que usted escribió no tiene ningún problema, y este intento no se contó. Inténtelo de nuevo en unos minutos.
error-source-unavailable-financial = La agencia de crédito con la que verificamos las cuentas financieras no responde en este momento. Lo que usted escribió no tiene ningún problema, y este intento no se contó. Inténtelo de nuevo en unos minutos.
error-source-unavailable-phone = El servicio de registros de las compañías telefónicas con el que verificamos los números de celular no responde en este momento, así que no podemos verificar este número. Este intento no se contó. Puede pedir un código de activación por correo postal (llega en 5 a 10 días) o intentarlo de nuevo en unos minutos.
error-unavailable = Algo salió mal de nuestro lado. Su información está segura; inténtelo de nuevo en un minuto.

# Una contraseña nueva.
error-password-too-short = Su contraseña debe tener al menos { $min } caracteres. Unas cuantas palabras sin relación entre sí forman una contraseña segura y fácil de recordar.
error-password-too-long = Su contraseña debe tener como máximo { $max } caracteres.
error-password-contains-name = Su contraseña no debe contener su nombre de usuario ni su dirección de correo electrónico.
error-password-predictable = Esa contraseña sigue un patrón que los atacantes prueban primero (una estación del año, una palabra común o el nombre de este servicio, con un año o símbolos). Pruebe una frase más larga de palabras sin relación entre sí.
# $why dice qué la hace fácil de adivinar (según la estimación), o "none".
error-password-guessable = Esa contraseña es demasiado fácil de adivinar.{ $why ->
        [keyboard-row] {" "}Las filas seguidas de teclas son fáciles de adivinar.
        [keyboard-pattern] {" "}Los patrones cortos del teclado son fáciles de adivinar.
        [repeated-character] {" "}Las repeticiones como "aaa" son fáciles de adivinar.
        [repeated-group] {" "}Las repeticiones como "abcabcabc" son apenas un poco más difíciles de adivinar que "abc".
        [common] {" "}Es una de las contraseñas más comunes.
        [similar-to-common] {" "}Se parece a una contraseña muy usada.
        [sequence] {" "}Las secuencias como abc o 6543 son fáciles de adivinar.
        [recent-year] {" "}Los años recientes son fáciles de adivinar.
        [single-word] {" "}Una palabra sola es fácil de adivinar.
        [date] {" "}Las fechas suelen ser fáciles de adivinar.
        [names] {" "}Los nombres y apellidos solos son fáciles de adivinar.
       *[none] {""}
    } Pruebe una frase más larga de palabras sin relación entre sí.

# Un paso fuera de orden: qué hacer primero.
step-second-factor-first = Primero inicie sesión con su segundo factor.
step-personal-information-first = Primero escriba su información personal.
step-already-verified = Su identidad ya está verificada.
step-finish-setup-first = Primero termine de configurar su cuenta.
step-phone-again = Escriba de nuevo su número de teléfono.
step-confirm-email-first = Primero confirme su dirección de correo electrónico.
step-letter-first = Primero pida un código de activación por correo postal.
step-choose-password-first = Primero elija una contraseña nueva.
step-verify-identity-first = Primero verifique su identidad.

# Lo que escribió una persona.
error-username-length = Su nombre de usuario debe tener de { $min } a { $max } caracteres.
error-username-characters = Su nombre de usuario solo puede tener letras, números y . _ - @ +.
error-enter-username = Escriba su nombre de usuario.
error-email = Escriba una dirección de correo electrónico como nombre@ejemplo.com.
error-same-email = Esa ya es su dirección de correo electrónico.
error-current-password = Su contraseña actual no es correcta.
error-label = Use un nombre de 40 caracteres como máximo.
error-phone = Escriba un número de teléfono que pueda recibir mensajes de texto, como (202) 555-0143 o +12025550143.
error-method = Elija un método: passkey, totp, sms o backup_code.
error-method-not-set-up = Ese método de inicio de sesión no está configurado en esta cuenta.
error-passkey-not-code = Una llave de acceso responde con una credencial, no con un código: envíe el método passkey con la credencial.
error-enter-first-name = Escriba su nombre (hasta 100 caracteres).
error-enter-last-name = Escriba su apellido (hasta 100 caracteres).
error-enter-street = Escriba su dirección (hasta 100 caracteres).
error-enter-city = Escriba su ciudad (hasta 100 caracteres).
error-date-of-birth = Escriba su fecha de nacimiento con el año de 4 dígitos, por ejemplo 04/15/1980 o 1980-04-15.
error-ssn = Escriba su número de Seguro Social o ITIN con 9 dígitos, como 123-45-6789.
error-filing-status = Elija su estado civil para efectos de la declaración: single, married_filing_jointly, married_filing_separately, head_of_household o qualifying_surviving_spouse.
error-state = Elija su estado, o escriba su nombre o su abreviatura de 2 letras, como Virginia o VA.
error-zip = Escriba un código postal (ZIP) de 5 dígitos, o ZIP+4 como 22101-1234.
error-account-kind = Elija el tipo de cuenta: credit_card, mortgage, home_equity_loan, home_equity_line_of_credit, auto_loan o student_loan.
error-account-number = Escriba el número de cuenta con dígitos (puede usar espacios y guiones).
error-card-digits = Para una tarjeta de crédito, escriba al menos los últimos 8 dígitos del número de la tarjeta.

# Rechazos: lo que no se encuentra, no se permite o ya se hizo.
error-was-just-done-another-request = Otra solicitud acaba de hacer eso. Vuelva a cargar la página e inténtelo de nuevo.
error-no-app-client-id = No hay ninguna aplicación con ese identificador de cliente.
error-demo-account-exists-but-has = La cuenta de demostración existe, pero no tiene una aplicación de autenticación.
error-account-has-staff-role-ask = Esta cuenta tiene una función del personal. Pida a un administrador que quite la función antes de eliminar la cuenta.
error-are-not-enough-tax-records = No hay suficientes registros tributarios para verificar a esta persona por teléfono. Refiérala a un Centro de Asistencia al Contribuyente.
error-no-such-check = No existe esa verificación.
error-check-was-already-answered-start = Esta verificación ya se respondió. Empiece una nueva.
error-no-phone-set-up-text = No hay ningún teléfono configurado para mensajes de texto con ese identificador en esta cuenta.
error-we-cant-mail-letter-because = No podemos enviarle una carta porque no tenemos una dirección registrada para usted. Llame a la mesa de ayuda.
error-session-has-already-ended-not = Esa sesión ya terminó o no es una de las suyas.
error-step-isnt-next-in-your = Ese no es el siguiente paso de su recuperación. Empiece de nuevo con su información personal si pasó más de una hora.
error-we-cant-check-your-identity = No podemos verificar su identidad en línea para esta cuenta. Llame a la mesa de ayuda.
error-enter-your-phone-number-again = Escriba de nuevo su número de teléfono.
error-recovery-mail-someone-who-entered = La recuperación por correo postal es para quien escribió su contraseña pero no puede usar ningún método de inicio de sesión. Puede administrar sus métodos de inicio de sesión en la página de Seguridad.
error-your-identity-isnt-verified-so = Su identidad no está verificada, así que no hay una dirección registrada a la que enviar un código. Use el restablecimiento de la cuenta.
error-we-have-no-address-record = No tenemos una dirección registrada para esta cuenta. Llame a la mesa de ayuda.
error-no-account-username = No hay ninguna cuenta con ese nombre de usuario.
error-account-already-turned-off = Esta cuenta ya está desactivada.
error-account-not-turned-off = Esta cuenta no está desactivada.
error-no-new-email-address-waiting = No hay ninguna dirección de correo electrónico nueva pendiente. Primero escriba la dirección nueva.
error-no-inperson-record-waiting-completed = No hay ningún registro en persona pendiente de completar para esta cuenta.
error-account-has-as-many-signin = Esta cuenta tiene todos los métodos de inicio de sesión que puede tener. Primero quite uno.
error-no-signin-method-id-your = No hay ningún método de inicio de sesión con ese identificador en su cuenta.
error-your-only-signin-method-so = Este es su único método de inicio de sesión, así que no se puede quitar. Primero agregue otro.
error-no-signin-method-being-set = No hay ningún método de inicio de sesión en configuración con ese identificador.
error-signin-method-already-set-up = Ese método de inicio de sesión ya está configurado.
error-account-reset-someone-who-entered = El restablecimiento de la cuenta es para quien escribió su contraseña pero no puede usar ningún método de inicio de sesión. Puede administrar sus métodos de inicio de sesión en la página de Seguridad.
error-your-identity-verified-so-your = Su identidad está verificada, así que sus métodos de inicio de sesión no se pueden quitar solo con esperar. Use un código de respaldo si tiene uno, o llame a la mesa de ayuda: confirmarán que es usted y le devolverán el acceso.
error-no-account-reset-in-progress = No hay ningún restablecimiento de la cuenta en curso. Primero inicie uno, o vuelva a iniciar sesión si se canceló.
error-ssn-already-verified-account-find = Este número de Seguro Social ya está verificado en una cuenta. Busque esa cuenta por el apellido y la fecha de nacimiento de la persona, o refiérala a un centro de asistencia.
error-no-tax-return-file-ssn = No hay ninguna declaración de impuestos registrada para este número de Seguro Social, así que no se puede verificar a la persona por teléfono. Refiérala a un centro de asistencia.
error-sign-in-your-second-factor = Inicie sesión con su segundo factor para usar las herramientas del personal.
error-your-account-does-not-have = Su cuenta no tiene la función que esto requiere.
error-staff-must-set-up-passkey = El personal debe configurar una llave de acceso o una aplicación de autenticación; los códigos por mensaje de texto no son suficientes para las herramientas del personal.
error-staff-cannot-act-their-own = El personal no puede actuar sobre su propia cuenta.
error-account-does-not-have-role = Esa cuenta no tiene esa función.
error-last-admin-give-admin-role = Este es el último administrador. Primero dé la función de administrador a otra persona.
error-your-email-address-already-confirmed = Su dirección de correo electrónico ya está confirmada.
error-no-account-id = No hay ninguna cuenta con ese identificador.
error-time-overlaps-another-planned-maintenance = Ese horario se superpone con otro período de mantenimiento programado. Primero cancele ese o elija otro horario.
error-no-maintenance-window-id = No hay ningún período de mantenimiento con ese identificador.
error-maintenance-window-was-already-cancelled = Ese período de mantenimiento ya se canceló.
error-maintenance-window-already-over = Ese período de mantenimiento ya terminó.

# Una llave de acceso que no pasó, y por qué.
error-passkey-unreadable = No pudimos leer la respuesta de su llave de acceso. Inténtelo de nuevo o inicie sesión de otra forma.
error-passkey-challenge-expired = Esa solicitud de la llave de acceso se agotó o ya se usó. Empiece de nuevo y use su llave de acceso antes de 5 minutos.
error-passkey-unknown = Esa llave de acceso no está registrada en esta cuenta. Elija otra llave de acceso o inicie sesión de otra forma.
error-passkey-already-registered = Esa llave de acceso ya está registrada en una cuenta, así que no se puede agregar aquí. Use otro dispositivo o llave de seguridad.
error-passkey-wrong-site = Su llave de acceso respondió para un sitio web distinto de este, así que se rechazó. Revise que la barra de direcciones muestre nuestra dirección e inténtelo de nuevo.
error-passkey-not-verified = Su dispositivo no confirmó que es usted (con su huella digital, su cara, un PIN o el bloqueo de pantalla). Inténtelo de nuevo y complete ese paso.
error-passkey-counter-went-back = El contador de usos de esta llave de acceso retrocedió, lo que puede significar que se copió. Se rechazó para proteger su cuenta. Inicie sesión de otra forma y luego revise su página de seguridad.
error-passkey-wrong-challenge = Esa respuesta de la llave de acceso pertenece a otra solicitud. Empiece de nuevo.
error-passkey-unsupported = Esta llave de acceso o llave de seguridad usa un tipo de clave que no aceptamos. Pruebe con otra.
error-passkey-invalid = La respuesta de su llave de acceso no fue válida, así que se rechazó. Inténtelo de nuevo o inicie sesión de otra forma.
error-reset-waiting = El restablecimiento de su cuenta está en espera para que el dueño de la cuenta pueda cancelarlo si no fue él. Vuelva después de { $when }.
error-passkey-missing = Para usar una llave de acceso se necesita JavaScript, que no se ejecutó en este navegador. Use otro método de inicio de sesión, o active JavaScript e inténtelo de nuevo.
error-enter-code = Escriba el código.
