# Verificar la identidad (y recuperar una cuenta verificándola de nuevo): lo que
# responde cada paso, y las páginas.

proofing-exception = No podemos terminar de verificar su identidad en línea. Llame a la mesa de ayuda (una llamada dura unos 20 minutos) o visite un Centro de Asistencia al Contribuyente con su identificación con foto y su tarjeta de Seguro Social (con cita previa); allí lo terminarán con usted.
proofing-step-identity = Escriba su información personal tal como aparece en su declaración de impuestos más reciente.
proofing-step-financial = Escriba una cuenta financiera a su nombre.
proofing-step-phone = Escriba un número de teléfono celular a su nombre, o pida un código de activación por correo postal.
proofing-step-phone-code = Escriba el código que le enviamos por mensaje de texto, o pruebe con otro teléfono.
proofing-step-mail-code = Escriba el código de activación de la carta que le enviamos a la dirección de su declaración de impuestos más reciente. Las cartas llegan en 5 a 10 días.
proofing-step-verified = Su identidad está verificada.
proofing-identity-matched = Encontramos sus registros tributarios. Ahora escriba una cuenta financiera a su nombre: una tarjeta de crédito, una hipoteca, un préstamo o una línea de crédito sobre el valor neto de la vivienda, un préstamo para auto o un préstamo estudiantil.
proofing-identity-not-matched = No pudimos hacer coincidir su información con nuestros registros. Compárela con su declaración de impuestos más reciente (nombre, fecha de nacimiento, estado civil para efectos de la declaración y dirección postal tal como los declaró) e inténtelo de nuevo. Por ahora le { $tries ->
        [one] queda 1 intento
       *[other] quedan { $tries } intentos
    }. Si no puede terminar en línea, llame a la mesa de ayuda (una llamada dura unos 20 minutos) o visite un Centro de Asistencia al Contribuyente con su identificación con foto (con cita previa).
proofing-identity-not-matched-last = No pudimos hacer coincidir su información con nuestros registros, y por ahora ya usó todos sus intentos. Puede intentarlo de nuevo en 6 horas. Si no puede terminar en línea, llame a la mesa de ayuda (una llamada dura unos 20 minutos) o visite un Centro de Asistencia al Contribuyente con su identificación con foto (con cita previa).
proofing-financial-matched = Gracias. Último paso: escriba un número de teléfono celular a su nombre; le enviaremos un código por mensaje de texto. Si no tiene uno, podemos enviarle un código de activación por correo postal a la dirección de su declaración de impuestos más reciente.
proofing-financial-not-matched = No pudimos confirmar esa cuenta. Pruebe con otro tipo de cuenta (por ejemplo una hipoteca, un préstamo para auto o un préstamo estudiantil en lugar de una tarjeta) o revise el número. Por ahora le { $tries ->
        [one] queda 1 intento
       *[other] quedan { $tries } intentos
    }. Si no puede terminar en línea, llame a la mesa de ayuda (una llamada dura unos 20 minutos) o visite un Centro de Asistencia al Contribuyente con su identificación con foto (con cita previa).
proofing-financial-not-matched-last = No pudimos confirmar esa cuenta, y por ahora ya usó todos sus intentos. Puede intentarlo de nuevo en 6 horas. Si no puede terminar en línea, llame a la mesa de ayuda (una llamada dura unos 20 minutos) o visite un Centro de Asistencia al Contribuyente con su identificación con foto (con cita previa).
proofing-phone-not-matched = No pudimos confirmar ese teléfono. Use un teléfono celular con un plan personal a su propio nombre, o pida un código de activación por correo postal a la dirección de su declaración de impuestos más reciente (llega en 5 a 10 días).
proofing-phone-code-sent = Le enviamos un código de 6 dígitos por mensaje de texto al teléfono que termina en { $last_digits }. Escríbalo antes de { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    }.
proofing-verified-by-phone = Su identidad está verificada. Este teléfono ahora es un método de inicio de sesión para recibir códigos por mensaje de texto.
proofing-verified-by-letter = Su identidad está verificada. Ahora agregue una forma de iniciar sesión: una aplicación de autenticación o cualquier teléfono que pueda recibir mensajes de texto.

recovery-identity-matched = Encontramos sus registros tributarios. Ahora escriba una cuenta financiera a su nombre.
recovery-identity-not-matched = Eso no coincide con la identidad con la que se verificó esta cuenta. Compare lo que escribió con su declaración de impuestos más reciente, o pida un código de recuperación por correo postal.
recovery-financial-matched = Gracias. Último paso: un teléfono celular a su nombre; le enviaremos un código por mensaje de texto, y será su nuevo método de inicio de sesión.
recovery-financial-not-matched = No pudimos hacer coincidir esa cuenta. Revise el número o pruebe con una cuenta de otro tipo.
recovery-phone-not-matched = No pudimos confirmar ese teléfono. Use un teléfono celular con un plan personal a su propio nombre, o pida un código de recuperación por correo postal.

proofing-tries-left = Por ahora le { $tries ->
        [one] queda 1 intento
       *[other] quedan { $tries } intentos
    }.
proofing-no-tries-left = Por ahora ya usó todos sus intentos. Puede intentarlo de nuevo en unas horas o pedir ayuda de otra forma.
proofing-letter-sent = Le enviamos su carta por correo postal. Debe llegar en 5 a 10 días.
proofing-letter-sent-expires = Le enviamos su carta por correo postal. Debe llegar en 5 a 10 días; el código vence el { $date }.

# Las partes del formulario.
proofing-optional = (opcional)
proofing-select = - Seleccione -
proofing-not-matched-heading = No pudimos verificar eso
proofing-dob = Fecha de nacimiento
proofing-dob-hint = Por ejemplo: 15 de abril de 1980
proofing-dob-month = Mes
proofing-dob-day = Día
proofing-dob-year = Año
dob-month-1 = 01 - enero
dob-month-2 = 02 - febrero
dob-month-3 = 03 - marzo
dob-month-4 = 04 - abril
dob-month-5 = 05 - mayo
dob-month-6 = 06 - junio
dob-month-7 = 07 - julio
dob-month-8 = 08 - agosto
dob-month-9 = 09 - septiembre
dob-month-10 = 10 - octubre
dob-month-11 = 11 - noviembre
dob-month-12 = 12 - diciembre
proofing-name-legend = Su nombre, como aparece en su declaración
proofing-first-name = Nombre
proofing-middle-name = Segundo nombre
proofing-last-name = Apellido
proofing-suffix = Sufijo
proofing-suffix-hint = Por ejemplo, Jr. o III
proofing-about-you = Sobre usted
proofing-ssn = Número de Seguro Social o ITIN
proofing-ssn-hint = 9 dígitos, como 123-45-6789
proofing-filing-status = Estado civil para efectos de la declaración
proofing-filing-status-hint = Como aparece en su declaración más reciente
filing-single = Soltero
filing-married-jointly = Casado que presenta una declaración conjunta
filing-married-separately = Casado que presenta una declaración por separado
filing-head-of-household = Cabeza de familia
filing-surviving-spouse = Cónyuge sobreviviente que reúne los requisitos
proofing-address-legend = Dirección postal
proofing-address-hint = La dirección de su declaración de impuestos más reciente.
proofing-street = Dirección
proofing-unit = Apartamento, suite o unidad
proofing-city = Ciudad
proofing-state = Estado, territorio o base militar
proofing-zip = Código postal (ZIP)
proofing-zip-hint = 5 dígitos, o ZIP+4 como 22101-1234
proofing-other-ways-intro = ¿No puede terminar en línea?
proofing-other-ways = Otras formas de verificar

# Las páginas.
proofing-identity-title = Verifique su identidad
proofing-identity-intro = Compararemos lo que escriba con su declaración de impuestos más reciente. Tenga a la mano su última declaración; esto toma unos 15 minutos.
proofing-financial-title = Escriba una cuenta financiera
proofing-financial-intro = Encontramos sus registros tributarios. Ahora escriba una cuenta financiera a su nombre. Solo verificamos que la cuenta sea suya; no vemos saldos ni cobramos nada.
proofing-account-kind = Tipo de cuenta
proofing-account-kind-hint = Un préstamo sirve igual que una tarjeta.
proofing-account-number = Número de cuenta
proofing-account-number-hint = Para una tarjeta de crédito, al menos los últimos 8 dígitos; para un préstamo, el número de cuenta completo. Puede usar espacios y guiones.
account-kind-credit-card = Tarjeta de crédito (últimos 8 dígitos)
account-kind-mortgage = Hipoteca
account-kind-home-equity-loan = Préstamo sobre el valor neto de la vivienda
account-kind-home-equity-line = Línea de crédito sobre el valor neto de la vivienda
account-kind-auto-loan = Préstamo para auto
account-kind-student-loan = Préstamo estudiantil
proofing-phone-title = Confirme un teléfono a su nombre
proofing-phone-intro = Último paso: escriba un número de teléfono celular con un plan personal a su propio nombre. Le enviaremos un código por mensaje de texto.
proofing-phone-letter-out = Ya le enviamos un código de activación por correo postal.
proofing-phone-enter-letter-code = Escriba el código de la carta
proofing-phone-or-phone = o use un teléfono.
proofing-phone-number = Número de teléfono celular
proofing-phone-hint = Como (202) 555-0143. Fuera de los EE. UU., empiece con + y el código del país.
proofing-phone-send = Envíenme un código por mensaje de texto
proofing-no-phone-heading = ¿No tiene un teléfono celular a su nombre?
proofing-no-phone-text = Podemos enviarle un código de activación por correo postal a la dirección de su declaración de impuestos más reciente (no a una dirección que usted escriba). Una carta tarda de 5 a 10 días en llegar; luego escribe su código aquí para terminar.
proofing-mail-instead = Envíenme un código de activación por correo postal
proofing-phone-code-title = Escriba el código que le enviamos
proofing-phone-code-intro = Le enviamos un código de 6 dígitos por mensaje de texto al teléfono que escribió. Vence en { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    }.
proofing-phone-code = Código del mensaje de texto
proofing-phone-code-hint = Por ejemplo, 123456
proofing-verify = Verificar
proofing-another-phone = Usar otro teléfono
proofing-or-new-code = (o enviar un código nuevo)
proofing-mail-title = Escriba el código de su carta
proofing-mail-intro = Le enviamos una carta con un código de activación a la dirección de su declaración de impuestos más reciente.
proofing-mail-expires = El código vence el { $date }.
proofing-activation-code = Código de activación
proofing-activation-code-hint = 12 letras y números, como 7KQ2-M9XD-4TRW. Los guiones son opcionales.
proofing-letter-lost-heading = ¿Perdió la carta o venció el código?
proofing-another-letter = Puede pedir otra carta. El código de cualquiera de sus cartas funciona hasta que vence.
proofing-another-letter-left = Puede pedir otra carta (hasta { $letters } más en 30 días). El código de cualquiera de sus cartas funciona hasta que vence.
proofing-mail-another = Envíenme otra carta
proofing-or = O
proofing-use-phone-instead = use un teléfono celular a su nombre
proofing-help-title = Termine la verificación con nuestra ayuda
proofing-help-intro = No pudimos completar la verificación de su identidad en línea. Esto no significa que haya un problema con su cuenta ni con sus impuestos; a algunas personas solo se les puede verificar en persona o por teléfono.
proofing-help-choose = Elija una forma
proofing-help-call = Llame a la mesa de ayuda al { $phone }
proofing-help-call-text = Una llamada dura unos 20 minutos. Tenga a la mano su declaración de impuestos más reciente; el asistente le hará preguntas sobre ella y terminará la verificación durante la llamada.
proofing-help-visit = Visite un Centro de Asistencia al Contribuyente
proofing-help-visit-when = con cita previa.
proofing-help-visit-bring = Traiga una identificación con foto vigente (como una licencia de conducir o un pasaporte) y su tarjeta de Seguro Social o su acta de nacimiento.
proofing-help-next = Qué pasa después
proofing-help-next-text = El asistente revisa sus documentos o respuestas y completa la verificación con usted. Luego le enviamos un correo electrónico para decirle que su identidad está verificada. Después, inicie sesión de nuevo: si aún no lo ha hecho, agregará una forma de iniciar sesión (una aplicación de autenticación o un teléfono), y luego podrá usar las herramientas en línea.
proofing-help-waiting = Su cuenta sigue abierta mientras espera; no necesita crear otra. Si otra persona ya se verificó con su número de Seguro Social, dígaselo al asistente: le ayudará a protegerlo.
