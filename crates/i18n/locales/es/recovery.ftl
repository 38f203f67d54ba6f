# Volver a entrar: cuando se pierden los métodos de inicio de sesión, y "no fui yo".

reset-title = No puede usar sus métodos de inicio de sesión
reset-heading = Si no puede usar sus métodos de inicio de sesión
reset-try-first = Pruebe esto primero
reset-backup-code = Un código de respaldo sirve en lugar de su teléfono o aplicación.
reset-use-backup = Usar un código de respaldo u otro método
reset-replace-lost = una vez dentro, reemplace el que perdió en su página de Seguridad.
reset-same-number = Un teléfono nuevo con el mismo número sigue recibiendo nuestros mensajes de texto.
reset-verify-again-heading = Verifique su identidad de nuevo en línea
reset-verify-again-text = Confirme sus datos como aparecen en su declaración de impuestos más reciente, una cuenta financiera y un teléfono celular a su nombre. El teléfono será su nuevo método de inicio de sesión. Toma unos 15 minutos.
reset-verify-again-button = Verificar mi identidad de nuevo
reset-letter-heading = O reciba un código de recuperación por correo postal
reset-letter-on-its-way = Un código de recuperación va en camino a la dirección de su declaración de impuestos más reciente. Las cartas suelen tardar de 5 a 10 días hábiles. El código funciona hasta el { $date }.
reset-letter-code = Código de recuperación de la carta
reset-letter-code-hint = 12 letras y números, como ABCD-EFGH-JKMN
reset-use-code = Usar el código
reset-letter-text = Su identidad está verificada, así que podemos enviarle un código de recuperación por correo postal a la dirección de su declaración de impuestos más reciente. Al escribirlo se quitan todos los métodos de inicio de sesión anteriores y puede configurar uno nuevo. Avisaremos de inmediato a su correo electrónico y a todos los teléfonos de la cuenta.
reset-letter-button = Envíenme un código de recuperación por correo postal
reset-call-heading = O llame a la mesa de ayuda
reset-call-text = Llame al { $phone }
reset-call-restore = Confirmarán que es usted y le devolverán el acceso.
reset-start-heading = Restablecer sus métodos de inicio de sesión
reset-start-text = Podemos quitar todos los métodos de inicio de sesión de su cuenta para que configure otros nuevos. Por su seguridad, esto ocurre solo después de { $hours ->
        [one] 1 hora
       *[other] { $hours } horas
    }. Avisaremos de inmediato a su correo electrónico y a todos los teléfonos de la cuenta, para que el dueño de la cuenta pueda cancelarlo si no es usted.
reset-start-button = Iniciar el restablecimiento de { $hours } horas
reset-waiting-heading = Su restablecimiento está en espera
reset-waiting-text = Vuelva después de { $when } (UTC): inicie sesión con su contraseña y elija de nuevo "No puedo usar ninguno de estos métodos de inicio de sesión" para configurar otros nuevos.
reset-ready-heading = Su restablecimiento está listo
reset-ready-text = Se quitarán todos los métodos de inicio de sesión anteriores, se cerrará la sesión en todos los dispositivos y configurará un método nuevo de inmediato.
reset-ready-button = Quitar mis métodos de inicio de sesión anteriores

disavow-title = No fui yo
disavow-heading = Proteja su cuenta
disavow-intro = Si no reconoce lo que le dijimos en nuestro correo electrónico, proteja su cuenta ahora.
disavow-signed-out = Se cierra la sesión en todos los dispositivos y navegadores conectados a su cuenta.
disavow-recovery-cancelled = Se cancela cualquier recuperación de la cuenta en curso.
disavow-new-password = Nadie puede iniciar sesión hasta que se elija una contraseña nueva con "¿Olvidó su contraseña?" (se envía un código a su correo electrónico).
disavow-second-step = Su segundo paso de inicio de sesión (aplicación de autenticación, teléfono o códigos de respaldo) no cambia.
disavow-button = Proteger mi cuenta
disavow-done-heading = Su cuenta está protegida
disavow-done = Su cuenta está protegida: se cerró la sesión en todos los dispositivos y se canceló cualquier recuperación en curso. Para volver a iniciar sesión, elija una contraseña nueva con "¿Olvidó su contraseña?". Su segundo paso de inicio de sesión no cambia.

reset-verify-again-title = Verifique su identidad de nuevo
reset-verify-again-intro = Para reemplazar los métodos de inicio de sesión que perdió, confirme que es usted como lo hizo al verificarse: sus datos como aparecen en su declaración de impuestos más reciente, una cuenta financiera y luego un teléfono celular a su nombre, que será su nuevo método de inicio de sesión. Avisamos a su correo electrónico y a sus teléfonos que esto empezó.
reset-verify-step-financial = Paso 2 de 3: una cuenta financiera
reset-verify-step-code = Paso 3 de 3: el código que le enviamos
reset-verify-use-phone = Usar este teléfono para iniciar sesión
reset-verify-another-phone = O use otro teléfono
reset-verify-step-phone = Paso 3 de 3: un teléfono celular a su nombre
reset-verify-other-ways = Reciba un código de recuperación por correo postal o llame a la mesa de ayuda
