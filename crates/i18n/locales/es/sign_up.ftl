# Crear una cuenta: el formulario, el código por correo y el segundo paso.

sign-up-title = Crear una cuenta
sign-up-username = Nombre de usuario
sign-up-username-hint = De 3 a 64 letras, números o . _ - @ +. Lo usará para iniciar sesión.
sign-up-email = Dirección de correo electrónico
sign-up-email-hint = Le enviaremos un código para confirmarla.
sign-up-password = Contraseña
sign-up-password-hint = Al menos 12 caracteres. Unas cuantas palabras sin relación entre sí forman una contraseña segura que puede recordar. No use su nombre de usuario ni su correo electrónico.
sign-up-submit = Crear la cuenta
sign-up-have-account = ¿Ya tiene una cuenta?
sign-up-sign-in = Iniciar sesión

confirm-email-title = Confirme su correo electrónico
confirm-email-heading = Confirme su dirección de correo electrónico
confirm-email-sent = Le enviamos un código de 6 dígitos por correo electrónico. Funciona durante { $hours ->
        [one] 1 hora
       *[other] { $hours } horas
    }.
confirm-email-code = Código de confirmación
confirm-email-code-hint = Por ejemplo, 123456
confirm-email-submit = Confirmar
confirm-email-didnt-get = ¿No lo recibió? Revise su carpeta de correo no deseado, o
confirm-email-resend = envíe un código nuevo
confirm-email-resent = Le enviamos un código nuevo. El anterior ya no funciona.

setup-title = Agregar un segundo paso
setup-heading = Agregue un segundo paso para proteger su cuenta
setup-intro = Cada vez que inicie sesión escribirá su contraseña y luego un código. Elija cómo recibirá los códigos; puede agregar más formas después.
setup-passkey-heading = Llave de acceso o llave de seguridad (lo más seguro)
setup-passkey-text = Inicie sesión con su huella digital, su cara, el bloqueo de pantalla o una llave de seguridad. Los sitios web falsos no pueden engañarla. Necesita JavaScript.
setup-passkey-button = Configurar una llave de acceso
setup-app-heading = Aplicación de autenticación (recomendada)
setup-app-text = Una aplicación en su teléfono o computadora muestra un código nuevo cada 30 segundos. Funciona sin señal telefónica y es más segura que los mensajes de texto.
setup-app-button = Configurar una aplicación de autenticación
setup-sms-heading = Mensaje de texto
setup-sms-text = Le enviamos un código por mensaje de texto cada vez que inicia sesión.
setup-sms-button = Usar mensajes de texto
setup-backup-heading = Códigos de respaldo
setup-backup-text = Diez códigos para imprimir o guardar; cada uno funciona una sola vez. Sirven como una forma de entrar de reserva.
setup-backup-button = Crear códigos de respaldo
setup-another-way = Elegir otra forma

setup-app-title = Configure su aplicación de autenticación
setup-app-scan = Escanee este código QR con su aplicación
setup-app-qr-label = Código QR para su aplicación de autenticación
setup-app-cant-scan = ¿No puede escanearlo? Escriba esta clave en su aplicación:
setup-app-enter-code = Escriba el código que muestra su aplicación
setup-app-code = Código de 6 dígitos
setup-app-code-hint = El código cambia cada 30 segundos
setup-app-confirm = Confirmar

setup-phone-title = Agregar un teléfono para mensajes de texto
setup-phone-number = Número de teléfono
setup-phone-hint = Un número que pueda recibir mensajes de texto, como (202) 555-0143. Fuera de los EE. UU., empiece con + y el código del país.
setup-phone-send = Enviar el código
confirm-phone-title = Confirme su teléfono
confirm-phone-sent = Le enviamos un código de 6 dígitos por mensaje de texto. Vence en { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    }.
confirm-phone-code = Código del mensaje de texto
confirm-phone-code-hint = Por ejemplo, 123456
confirm-phone-submit = Confirmar
confirm-phone-again = Enviar un código nuevo o usar otro número

backup-codes-title = Sus códigos de respaldo
backup-codes-heading = Guarde sus códigos de respaldo
backup-codes-warning = Esta es la única vez que mostramos estos códigos. Imprímalos o guárdelos en un lugar seguro. Cada código funciona una sola vez.
backup-codes-saved = Ya guardé mis códigos
